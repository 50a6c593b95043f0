package io.ferry.storage.s3;

import io.ferry.storage.Secrets;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The SDK clients of one store, sharing one connection pool. {@link #control} retries on its own
 * (listing, HEAD, creating and completing uploads); {@link #data} never does, because its request
 * bodies stream from a source that cannot be rewound: the transfer worker retries those by reopening
 * the source, and sees every throttling response so it can slow down.
 */
final class S3Clients implements AutoCloseable {
    static final List<String> ACCESS_KEY_ID_KEYS = List.of("access_key_id", "AWS_ACCESS_KEY_ID");
    static final List<String> SECRET_ACCESS_KEY_KEYS = List.of("secret_access_key", "AWS_SECRET_ACCESS_KEY");
    static final List<String> SESSION_TOKEN_KEYS = List.of("session_token", "AWS_SESSION_TOKEN");

    private final SdkHttpClient http;
    final S3Client control;
    final S3Client data;

    S3Clients(S3Options options, Secrets secrets) {
        AwsCredentialsProvider credentials = credentials(options, secrets);
        Region region = region(options);
        this.http = ApacheHttpClient.builder()
                .maxConnections(options.maxConnections())
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        // The control client sends no streamed bodies (an empty put at most), so it signs payloads whole:
        // RGW rejects a zero-byte aws-chunked body.
        this.control = builder(options, credentials, region, false)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
        this.data = builder(options, credentials, region, true)
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    private software.amazon.awssdk.services.s3.S3ClientBuilder builder(S3Options options, AwsCredentialsProvider credentials,
            Region region, boolean chunkedEncoding) {
        var b = S3Client.builder()
                .httpClient(http)
                .credentialsProvider(credentials)
                .region(region)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(options.pathStyle())
                        .chunkedEncodingEnabled(chunkedEncoding).build())
                .requestChecksumCalculation(options.checksumsWhenRequired()
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(options.checksumsWhenRequired()
                        ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED);
        if (options.endpoint() != null) {
            b.endpointOverride(options.endpoint());
        }
        return b;
    }

    /** Named secrets when the job names them, else the default chain (environment, profile, web identity, instance). */
    private static AwsCredentialsProvider credentials(S3Options options, Secrets secrets) {
        if (options.accessKeyIdSecret() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        String keyId = secrets.require(S3Options.ACCESS_KEY_ID_SECRET, options.accessKeyIdSecret(), ACCESS_KEY_ID_KEYS);
        String secret = secrets.require(S3Options.SECRET_ACCESS_KEY_SECRET, options.secretAccessKeySecret(), SECRET_ACCESS_KEY_KEYS);
        return secrets.find(options.accessKeyIdSecret(), SESSION_TOKEN_KEYS)
                .<AwsCredentialsProvider>map(token -> StaticCredentialsProvider.create(AwsSessionCredentials.create(keyId, secret, token)))
                .orElseGet(() -> StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)));
    }

    /** The region parameter, else the SDK's region chain, else us-east-1 (what S3-compatibles expect). */
    private static Region region(S3Options options) {
        if (options.region() != null) {
            return Region.of(options.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException none) {
            return Region.US_EAST_1;
        }
    }

    @Override
    public void close() {
        control.close();
        data.close();
        http.close();
    }
}
