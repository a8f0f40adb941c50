package io.integrationengine.services.processing.transform;

import io.integrationengine.core.model.Content;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code charset(ISO-8859-1)}: re-encodes text content in another character set, for receivers
 * that cannot read the one it arrived in. An ER7 message also gets MSH-18 set to the HL7 table
 * 0211 name of the new charset (UTF-8, ISO-8859-1, ISO-8859-15, US-ASCII; for other charsets
 * MSH-18 is left as it is), and an XML declaration its {@code encoding}. A character the new
 * charset cannot represent fails the step naming it, rather than turning into {@code ?}. A leading
 * BOM is kept only when the new charset is UTF-8.
 */
@ApplicationScoped
public class CharsetTransformer implements Transformer {

  private static final String BOM = "\uFEFF";
  private static final FieldPath CHARACTER_SET = FieldPath.parse("MSH-18");
  private static final Map<String, String> TABLE_0211 = Map.of(
      "UTF-8", "UNICODE UTF-8",
      "ISO-8859-1", "8859/1",
      "ISO-8859-15", "8859/15",
      "US-ASCII", "ASCII");
  private static final Pattern XML_DECLARATION = Pattern.compile("^<\\?xml\\b([^?]*)\\?>");
  private static final Pattern ENCODING_ATTRIBUTE = Pattern.compile("\\bencoding\\s*=\\s*(\"[^\"]*\"|'[^']*')");

  public CharsetTransformer() {}

  @Override
  public String name() {
    return "charset";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "(charset)", arguments, 1, 1);
    Charset target;
    try {
      target = Charset.forName(arguments.get(0));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name() + ": '" + arguments.get(0) + "' is not a character set this JVM supports (e.g. UTF-8, ISO-8859-1)", e);
    }
    if (!target.canEncode()) {
      throw new IllegalArgumentException(name() + ": " + target.name() + " can only be read, not written");
    }
    String step = name() + "(" + target.name() + ")";
    return content -> {
      if (content.type() == ContentType.BINARY) {
        throw new TransformException(step + " works on text content; this content is " + ContentType.BINARY);
      }
      String text = TransformSupport.text(content, step);
      String description = "the content";
      if (content.type() == ContentType.HL7V2_ER7) {
        Er7Message message = TransformSupport.er7(text, step);
        description = TransformSupport.describe(message);
        String declared = TABLE_0211.get(target.name());
        if (declared != null) {
          message.set(CHARACTER_SET, declared);
        }
        text = message.encode();
      }
      // the BOM belongs to the old encoding; UTF-8 is the only target where it still means the same
      boolean bom = text.startsWith(BOM);
      if (bom) {
        text = text.substring(1);
      }
      if (content.type() == ContentType.HL7V2_XML || content.type() == ContentType.FHIR_XML) {
        text = declareEncoding(text, target);
      }
      if (bom && target.equals(StandardCharsets.UTF_8)) {
        text = BOM + text;
      }
      return TransformSupport.content(text, content.type(), target, step, description);
    };
  }

  /** An XML parser believes the declaration over the envelope, so it must name the new charset. */
  private static String declareEncoding(String xml, Charset target) {
    Matcher declaration = XML_DECLARATION.matcher(xml);
    if (!declaration.find()) {
      // without a declaration XML means UTF-8 (or UTF-16 with a BOM)
      return target.equals(StandardCharsets.UTF_8) ? xml : "<?xml version=\"1.0\" encoding=\"" + target.name() + "\"?>" + xml;
    }
    String attributes = declaration.group(1);
    Matcher encoding = ENCODING_ATTRIBUTE.matcher(attributes);
    String newAttributes = encoding.find()
        ? attributes.substring(0, encoding.start()) + "encoding=\"" + target.name() + "\"" + attributes.substring(encoding.end())
        : attributes.stripTrailing() + " encoding=\"" + target.name() + "\"";
    return "<?xml" + newAttributes + "?>" + xml.substring(declaration.end());
  }
}
