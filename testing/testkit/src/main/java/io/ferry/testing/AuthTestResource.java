package io.ferry.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Makes a {@code @QuarkusTest}'s service accept {@link TestTokens} (and nothing else). */
public class AuthTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
    }

    @Override
    public void stop() {
    }
}
