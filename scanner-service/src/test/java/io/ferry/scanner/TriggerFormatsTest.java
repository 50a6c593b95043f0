package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.scanner.TriggerFormats.JobKey;
import io.ferry.scanner.TriggerFormats.JobPrefix;
import io.ferry.scanner.TriggerFormats.Located;
import io.ferry.scanner.TriggerFormats.Replan;
import io.ferry.scanner.TriggerFormats.WholeJob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerFormatsTest {
    static List<TriggerFormats.Request> parse(String json) {
        return TriggerFormats.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadAnAwsS3NotificationWithItsFormEncodedKey() {
        // as AWS S3 sends it (trimmed): keys are form-encoded, a space is '+'
        assertThat(parse("""
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                  "eventTime":"2026-12-02T10:00:00.000Z","eventName":"ObjectCreated:Put",
                  "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"models","arn":"arn:aws:s3:::models"},
                        "object":{"key":"llama/model+shard%2B1.bin","size":1024,"eTag":"abc","versionId":"v1"}}}]}
                """)).containsExactly(new Located("s3://models/llama/model shard+1.bin", false));
    }

    @Test
    void shouldReadMinioAndCephRgwNotificationsIncludingRemovals() {
        assertThat(parse("""
                {"EventName":"s3:ObjectCreated:Put","Key":"models/a%2Fb.bin","Records":[
                  {"eventName":"s3:ObjectCreated:Put","s3":{"bucket":{"name":"models"},"object":{"key":"a%2Fb.bin"}}},
                  {"eventName":"ObjectRemoved:Delete","eventSource":"ceph:s3","s3":{"bucket":{"name":"models"},"object":{"key":"c.bin"}}}]}
                """)).containsExactly(new Located("s3://models/a/b.bin", false), new Located("s3://models/c.bin", true));
    }

    @Test
    void shouldTakeCephRgwKeysAsTheyAreBecauseRgwDoesNotEncodeThem() {
        // as Ceph 16.2.15's HTTP push endpoint sent it (trimmed): the key "a dir/hi+1.txt" raw
        assertThat(parse("""
                {"Records":[{"eventVersion":"2.2","eventSource":"ceph:s3","awsRegion":"","eventTime":"2026-12-02T10:24:55.314616Z",
                  "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","configurationId":"ferry",
                  "bucket":{"name":"ferry-e2e","arn":"arn:aws:s3:::ferry-e2e"},
                  "object":{"key":"a dir/hi+1.txt","size":3,"eTag":"764efa883dda1e11db47671c4a3bbd9e","versionId":""}}}]}
                """)).containsExactly(new Located("s3://ferry-e2e/a dir/hi+1.txt", false));
    }

    @Test
    void shouldReadOciObjectStorageEventsAsOciEventsDeliversThem() {
        assertThat(parse("""
                {"eventType":"com.oraclecloud.objectstorage.createobject","cloudEventsVersion":"0.1","source":"ObjectStorage",
                 "data":{"resourceName":"models/llama.bin","additionalDetails":{"namespace":"ns1","bucketName":"b1"}}}
                """)).containsExactly(new Located("oci://ns1/b1/models/llama.bin", false));
        assertThat(parse("""
                {"specversion":"1.0","type":"com.oraclecloud.objectstorage.deleteobject","source":"ObjectStorage","id":"1",
                 "data":{"resourceName":"gone.bin","additionalDetails":{"namespace":"ns1","bucketName":"b1"}}}
                """)).containsExactly(new Located("oci://ns1/b1/gone.bin", true));
    }

    @Test
    void shouldReadThePlainProducerFormatsAndFerrysOwn() {
        assertThat(parse("{\"job\":\"ml/sync\"}")).containsExactly(new WholeJob("ml/sync"));
        assertThat(parse("{\"job\":\"ml/sync\",\"key\":\"a/b.bin\"}")).containsExactly(new JobKey("ml/sync", "a/b.bin"));
        assertThat(parse("{\"job\":\"ml/sync\",\"prefix\":\"a/\"}")).containsExactly(new JobPrefix("ml/sync", "a/"));
        assertThat(parse("{\"storageUri\":\"file:///data/my%20models/\",\"key\":\"x.bin\"}"))
                .containsExactly(new Located("file:///data/my models/x.bin", false));
        assertThat(parse("{\"storageUri\":\"s3://bucket\",\"key\":\"x.bin\"}")).containsExactly(new Located("s3://bucket/x.bin", false));
        assertThat(parse("{\"job\":\"ml/sync\",\"objectKey\":\"a\",\"generation\":3,\"attempt\":1,\"reason\":\"SOURCE_CHANGED\"}"))
                .singleElement().isInstanceOfSatisfying(Replan.class, r -> assertThat(r.trigger().attempt()).isEqualTo(1));
    }

    @Test
    void shouldRefuseWhatIsNoTriggerNamingTheField() {
        assertThatThrownBy(() -> TriggerFormats.parse(new byte[] {0, 1, 2})).hasMessageStartingWith("a trigger is JSON");
        assertThatThrownBy(() -> TriggerFormats.parse(null)).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("a trigger is a JSON object");
        assertThatThrownBy(() -> parse("{}")).hasMessageStartingWith("not a trigger");
        assertThatThrownBy(() -> parse("{\"type\":\"x\",\"data\":{}}")).hasMessageStartingWith("not a trigger");
        assertThatThrownBy(() -> parse("{\"job\":7}")).hasMessage("job must be a non-empty string");
        assertThatThrownBy(() -> parse("{\"job\":\"a/b\",\"key\":\"k\",\"prefix\":\"p\"}")).hasMessageContaining("not both");
        assertThatThrownBy(() -> parse("{\"Records\":[]}")).hasMessageContaining("Records is an array");
        assertThatThrownBy(() -> parse("{\"Records\":{}}")).hasMessageContaining("Records is an array");
        assertThatThrownBy(() -> parse("{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"a/b\"},"
                + "\"object\":{\"key\":\"k\"}}}]}")).hasMessage("Records[0].s3.bucket.name is not a bucket or namespace name");
        assertThatThrownBy(() -> parse("{\"Records\":[{\"eventName\":\"s3:TestEvent\",\"s3\":{}}]}"))
                .hasMessageContaining("Records[0].eventName 's3:TestEvent' is not an ObjectCreated or ObjectRemoved event");
        assertThatThrownBy(() -> parse("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},"
                + "\"object\":{\"key\":\"%zz\"}}}]}")).hasMessage("Records[0].s3.object.key is not URL-encoded");
        assertThatThrownBy(() -> parse("{\"job\":\"a/b\",\"key\":\"" + "k".repeat(1025) + "\"}")).hasMessageContaining("longer than 1024");
        assertThatThrownBy(() -> parse("{\"specversion\":\"1.0\",\"type\":\"com.oraclecloud.objectstorage.createbucket\",\"data\":{}}"))
                .hasMessageContaining("is not an object created, updated or deleted");
        assertThatThrownBy(() -> parse("{\"specversion\":\"1.0\",\"type\":\"com.example.thing\"}"))
                .hasMessageContaining("is not an OCI Object Storage event");
        assertThatThrownBy(() -> parse("{\"storageUri\":\"s3://KEY:SECRET@bucket/ x\",\"key\":\"k\"}"))
                .hasMessage("storageUri is not a URI");
        assertThatThrownBy(() -> parse("{\"storageUri\":\"s3://KEY:SECRET@bucket/\",\"key\":\"k\"}"))
                .hasMessageStartingWith("storageUri has user info").hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> parse("{\"job\":\"a/b\",\"objectKey\":\"a\",\"attempt\":-1}")).isInstanceOf(IllegalArgumentException.class);
    }
}
