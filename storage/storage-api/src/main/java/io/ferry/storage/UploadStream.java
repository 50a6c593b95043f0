package io.ferry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The caller's stream as an upload body. Storage SDKs wrap whatever the stream throws into their own
 * exceptions; this remembers the stream's own failure so the caller gets it back unchanged (a source
 * that changed mid-copy must surface as such, not as a failed write). For a whole put it also takes
 * the MD5 of every byte the SDK sent, so a server's MD5 of what it stored can show the two are the
 * same. (The caller has the SHA-256 of the same bytes already.)
 */
public class UploadStream extends DigestingInputStream {
    private final MessageDigest md5;
    private IOException failure;
    private byte[] digest;

    protected UploadStream(InputStream in, boolean digest) {
        this(in, digest ? md5() : null);
    }

    private UploadStream(InputStream in, MessageDigest md5) {
        super(in, md5);
        this.md5 = md5;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** A body whose MD5 is taken, for a whole put that the server's MD5 may confirm. */
    public static UploadStream digested(InputStream data) {
        return new UploadStream(data, true);
    }

    /**
     * A body passed through as it is: a part's MD5 confirms only that part, and hashing it once more
     * on top of the caller's SHA-256 costs CPU that large copies are short of.
     */
    public static UploadStream plain(InputStream data) {
        return new UploadStream(data, false);
    }

    @Override
    protected IOException failed(IOException e) {
        failure = e;
        return e;
    }

    /** The stream's own failure, or null if it never failed. */
    public IOException failure() {
        return failure;
    }

    /** Whether the MD5 of the bytes read, in hex (S3 ETags) or base64 (Content-MD5), is {@code md5}. */
    public boolean md5Matches(String md5Text) {
        if (md5 == null || md5Text == null) {
            return false;
        }
        if (digest == null) {
            digest = md5.digest();
        }
        return HexFormat.of().formatHex(digest).equalsIgnoreCase(md5Text)
                || Base64.getEncoder().encodeToString(digest).equals(md5Text);
    }
}
