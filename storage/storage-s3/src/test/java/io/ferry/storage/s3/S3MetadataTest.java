package io.ferry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.checksum.Checksum;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class S3MetadataTest {
    @Test
    void shouldTakeAChecksumHeaderOnlyWhenItIsTheBase64OfA32ByteDigest() {
        byte[] digest = Checksum.newSha256().digest(new byte[] {1, 2, 3});
        String header = Base64.getEncoder().encodeToString(digest);
        assertThat(S3Metadata.sha256(header)).isEqualTo(Checksum.sha256(digest));
        assertThat(S3Metadata.base64(Checksum.sha256(digest))).isEqualTo(header);
        // what a confused or hostile server may send: none of it confirms anything, and none of it throws
        assertThat(S3Metadata.sha256(Base64.getEncoder().encodeToString(new byte[16]))).as("an MD5's length").isNull();
        assertThat(S3Metadata.sha256("not base64 at all!")).isNull();
        assertThat(S3Metadata.sha256(header + "-3")).as("a composite").isNull();
        assertThat(S3Metadata.sha256("")).isNull();
    }
}
