package io.integrationengine.core.model;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Bytes with what they are: the unit a transform takes and returns and a connector sends.
 *
 * @param charset how to read the bytes as text; null for binary content
 */
public record Content(byte[] bytes, ContentType type, Charset charset) {

  public Content {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(type, "type");
  }

  /** The bytes decoded with {@link #charset()} (UTF-8 when none is known). */
  public String text() {
    return new String(bytes, charset == null ? java.nio.charset.StandardCharsets.UTF_8 : charset);
  }

  /** New content of the given type: {@code text} encoded with this content's charset (UTF-8 when none). */
  public Content withText(String text, ContentType newType) {
    Charset cs = charset == null ? java.nio.charset.StandardCharsets.UTF_8 : charset;
    return new Content(text.getBytes(cs), newType, cs);
  }
}
