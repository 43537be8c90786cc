package io.atelier.auth.config;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every auth-service setting; each is overridable by env var (ATELIER_AUTH_...). */
@ConfigMapping(prefix = "atelier.auth")
public interface AuthConfig {

    /** {@code iss} of every token and the issuer in the OpenID configuration: the public base URL. */
    String issuer();

    /** {@code aud} of every access token; resource servers require it. */
    String audience();

    Keys keys();

    Tokens tokens();

    Limits limits();

    Google google();

    Passwords passwords();

    interface Passwords {
        /**
         * Password hashes computed at once; further requests wait. Each Argon2id hash holds 19 MiB,
         * so this bounds memory, and more hashes than cores only thrash the CPU caches. Default: cores.
         */
        java.util.OptionalInt maxConcurrentHashes();

        /**
         * How long a request waits for a hashing slot before it is answered 503 with Retry-After:
         * under overload, waiting longer only lengthens every queue behind it.
         */
        @WithDefault("1s")
        Duration maxWait();
    }

    interface Google {
        /**
         * Exact URLs a browser may be sent back to after Google sign-in, with the tokens in the
         * fragment. Anything else is refused; without {@code redirect_uri} the tokens come as JSON.
         */
        java.util.List<String> allowedRedirects();
    }

    interface Keys {
        /**
         * Directory of PKCS#8 PEM RSA private keys named {@code <kid>.pem}; the kid is a UTC time
         * {@code yyyyMMdd'T'HHmm'Z'} from which the key may sign. Keys are published in the JWKS as
         * soon as they appear; the newest key whose time has come signs.
         */
        Path signingDir();

        /** JWK (set) file with the 256-bit AES key (kty oct) that wraps the content key of every token. */
        Path encryptionKey();

        /** How often the key files are re-read (new keys published, old ones dropped). */
        @WithDefault("30s")
        Duration reloadInterval();
    }

    interface Tokens {
        @WithDefault("15m")
        Duration accessTokenTtl();

        @WithDefault("30d")
        Duration refreshTokenTtl();

        /** A rotated refresh token presented again within this window returns the current pair. */
        @WithDefault("10s")
        Duration refreshGraceWindow();

        /** Clock skew tolerated when checking exp/nbf/iat. */
        @WithDefault("30s")
        Duration clockSkew();
    }

    interface Limits {
        /** Failed logins per account from one client address per login window: the strict limit. */
        @WithDefault("5")
        int loginFailuresPerAccountAndIp();

        /** Failed logins per account from any address per account window: guessing spread over addresses. */
        @WithDefault("20")
        int loginFailuresPerAccount();

        @WithDefault("15m")
        Duration accountWindow();

        /** Failed logins per client address, any account, per login window. */
        @WithDefault("20")
        int loginFailuresPerIp();

        @WithDefault("1m")
        Duration loginWindow();

        /** Sign-ups per client IP per window. */
        @WithDefault("30")
        int signupsPerIp();

        @WithDefault("5m")
        Duration signupWindow();
    }
}
