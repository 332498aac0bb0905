package dev.aggregator.support;

import java.nio.ByteBuffer;

/** A JSON answer written once, as bytes, with its ETag: what a cache keeps and a conditional GET compares. */
public record RenderedAnswer(byte[] body, String etag) {

    public static RenderedAnswer of(byte[] body) {
        return new RenderedAnswer(body, ETags.of(body));
    }

    /**
     * The body as the HTTP server writes it best: platform-http sends a ByteBuffer in one piece with a
     * Content-Length, where a byte[] is first converted to a stream and pumped out in chunks.
     */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(body); // a new buffer per answer: writing it moves its position
    }
}
