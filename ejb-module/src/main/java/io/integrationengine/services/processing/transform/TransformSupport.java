package io.integrationengine.services.processing.transform;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the transformers share: argument checks that read the same for every transform, and text
 * decoding and encoding that refuse to guess. A byte that is not valid in the content's charset, or
 * a character the charset cannot hold, fails the step instead of becoming U+FFFD or {@code ?} in a
 * clinical message.
 */
final class TransformSupport {

  private static final FieldPath CONTROL_ID = FieldPath.parse("MSH-10");

  private TransformSupport() {}

  /** @throws IllegalArgumentException e.g. "set expects (path, value), got 1 argument" */
  static void requireArguments(String name, String signature, List<String> arguments, int min, int max) {
    int count = arguments == null ? 0 : arguments.size();
    if (count < min || count > max) {
      throw new IllegalArgumentException(name + " expects " + signature + ", got " + count + " argument" + (count == 1 ? "" : "s"));
    }
  }

  /** A path a transform reads from. */
  static FieldPath sourcePath(String name, String argument) {
    try {
      FieldPath path = FieldPath.parse(argument);
      if (!path.hasField()) {
        throw new IllegalArgumentException(path + " names a whole segment; name a field, e.g. " + path.segment() + "-1");
      }
      return path;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** A path a transform writes to: a field, and not the delimiters. */
  static FieldPath targetPath(String name, String argument) {
    FieldPath path = sourcePath(name, argument);
    if (path.namesDelimiters()) {
      throw new IllegalArgumentException(name + ": " + path + " holds the message's delimiters and cannot be changed");
    }
    return path;
  }

  static Charset charsetOf(Content content) {
    return content.charset() == null ? StandardCharsets.UTF_8 : content.charset();
  }

  /** The ER7 message in {@code content}, which must be HL7V2_ER7. */
  static Er7Message er7(Content content, String step) throws TransformException {
    if (content.type() != ContentType.HL7V2_ER7) {
      throw new TransformException(step + " works on " + ContentType.HL7V2_ER7 + " content; this content is " + content.type());
    }
    return er7(text(content, step), step);
  }

  /** {@code text} read as an ER7 message. */
  static Er7Message er7(String text, String step) throws TransformException {
    try {
      return Er7Message.parse(text);
    } catch (IllegalArgumentException e) {
      throw new TransformException(step + ": " + e.getMessage(), e);
    }
  }

  /** The content's text, decoded strictly with its charset (UTF-8 when it has none). */
  static String text(Content content, String step) throws TransformException {
    Charset charset = charsetOf(content);
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content.bytes());
    CharBuffer out = CharBuffer.allocate((int) (content.bytes().length * (double) decoder.maxCharsPerByte()) + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new TransformException(step + ": the content is not valid " + charset.name() + " text (byte " + in.position()
          + " of " + content.bytes().length + "); its declared charset is probably wrong");
    }
    return out.flip().toString();
  }

  /**
   * {@code text} as content of {@code type} in {@code charset}.
   *
   * @throws TransformException naming the characters {@code charset} cannot represent
   */
  static Content content(String text, ContentType type, Charset charset, String step, String messageDescription) throws TransformException {
    CharsetEncoder encoder = charset.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      ByteBuffer encoded = encoder.encode(CharBuffer.wrap(text));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return new Content(bytes, type, charset);
    } catch (CharacterCodingException e) {
      throw new TransformException(step + ": " + messageDescription + " has characters " + charset.name() + " cannot represent: "
          + unrepresentable(text, charset), e);
    }
  }

  /** The message's control id for error messages, so an analyst can find it. */
  static String describe(Er7Message message) {
    return message.first(CONTROL_ID).map(id -> "message " + id).orElse("the message (no MSH-10)");
  }

  private static String unrepresentable(String text, Charset charset) {
    CharsetEncoder encoder = charset.newEncoder();
    Set<String> found = new LinkedHashSet<>();
    for (int i = 0; i < text.length() && found.size() < 10; ) {
      int codePoint = text.codePointAt(i);
      String character = new String(Character.toChars(codePoint));
      if (!encoder.canEncode(character)) {
        found.add("'" + character + "' (U+" + String.format("%04X", codePoint) + ")");
      }
      i += Character.charCount(codePoint);
    }
    return found.stream().collect(Collectors.joining(", "));
  }
}
