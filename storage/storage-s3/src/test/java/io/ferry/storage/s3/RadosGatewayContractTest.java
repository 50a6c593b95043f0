package io.ferry.storage.s3;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.Secrets;
import io.ferry.storage.StorageUri;
import io.ferry.storage.testkit.ObjectStoreContract;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract against Ceph's RADOS Gateway, a production S3 server, with checksums only where
 * required (RGW cannot parse aws-chunked uploads with checksum trailers). Runs when
 * {@code FERRY_TEST_RGW_ENDPOINT} is set, as .ci/run does after starting RGW.
 */
class RadosGatewayContractTest extends ObjectStoreContract {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @BeforeAll
    static void requireGateway() {
        assumeTrue(System.getenv("FERRY_TEST_RGW_ENDPOINT") != null,
                "FERRY_TEST_RGW_ENDPOINT not set (.ci/run starts Ceph RGW and sets it)");
    }

    @Override
    protected ObjectStore newStore() {
        String prefix = "contract-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        var env = Map.of(
                "FERRY_SECRET_RGW_ACCESS_KEY_ID", System.getenv("FERRY_TEST_RGW_ACCESS_KEY"),
                "FERRY_SECRET_RGW_SECRET_ACCESS_KEY", System.getenv("FERRY_TEST_RGW_SECRET_KEY"));
        S3Options options = S3Options.of(StorageUri.parse("s3://" + System.getenv().getOrDefault("FERRY_TEST_RGW_BUCKET", "ferry-e2e")
                + "/" + prefix), Map.of("endpoint", System.getenv("FERRY_TEST_RGW_ENDPOINT"), "region", "us-east-1",
                "access_key_id_secret", "rgw", "secret_access_key_secret", "rgw", "checksum_mode", "when_required"));
        return new S3ObjectStore(options, new S3Clients(options, new Secrets(Map.of(), env::get)));
    }

    @Override
    protected void assertAttributesKept(ObjectAttributes read) {
        org.assertj.core.api.Assertions.assertThat(read.contentType()).isEqualTo("application/x-test");
        org.assertj.core.api.Assertions.assertThat(read.userMetadata()).containsEntry("origin", "contract");
    }
}
