package io.ferry.scanner;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Bearer tokens as everywhere, and on {@code POST /triggers} also a token given as the password of
 * HTTP Basic authentication (the user name is ignored): a store's webhook (Ceph RGW's HTTP push
 * endpoint) cannot set a header, but sends the user info of its endpoint URL as Basic. Only there:
 * every other request takes a Bearer token only. The token is verified exactly as a Bearer one.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class WebhookAuthentication implements HttpAuthenticationMechanism {
    static final String TRIGGERS = "/triggers";
    private static final String BASIC = "basic ";

    @Inject
    JWTAuthMechanism bearer;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String token = basicPassword(context);
        if (token == null) {
            return bearer.authenticate(context, identities);
        }
        AuthenticationRequest request = new TokenAuthenticationRequest(new JsonWebTokenCredential(token));
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    /** The password of a Basic Authorization header of POST /triggers; null for any other request or header. */
    static String basicPassword(RoutingContext context) {
        if (context.request().method() != HttpMethod.POST || !TRIGGERS.equals(context.normalizedPath())) {
            return null;
        }
        String header = context.request().getHeader("Authorization");
        if (header == null || header.length() <= BASIC.length() || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 || colon == decoded.length() - 1 ? null : decoded.substring(colon + 1);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return bearer.getChallenge(context);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return bearer.getCredentialTypes();
    }
}
