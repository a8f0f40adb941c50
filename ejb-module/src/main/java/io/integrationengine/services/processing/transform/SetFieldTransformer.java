package io.integrationengine.services.processing.transform;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformException;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code set(PATH, value)}: writes a fixed value into an ER7 message, e.g.
 * {@code set(MSH-5, LAB)} or {@code set(PID-3(*).4, HOSP)}. The value is literal text: a
 * {@code ^} or {@code |} in it is written as an escape sequence, so components are set one path
 * each ({@code set(PID-5.1, DUCK)}). Without a segment index or repetition the first one is
 * written; a missing field, component, repetition or segment is created. Everything else in the
 * message keeps its bytes.
 */
@ApplicationScoped
public class SetFieldTransformer implements Transformer {

  public SetFieldTransformer() {}

  @Override
  public String name() {
    return "set";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "(path, value)", arguments, 2, 2);
    FieldPath path = TransformSupport.targetPath(name(), arguments.get(0));
    String value = arguments.get(1);
    String step = name() + "(" + path + ", " + value + ")";
    return content -> {
      Er7Message message = TransformSupport.er7(content, step);
      try {
        message.set(path, value);
      } catch (IllegalArgumentException e) {
        throw new TransformException(step + " failed for " + TransformSupport.describe(message) + ": " + e.getMessage(), e);
      }
      return TransformSupport.content(message.encode(), ContentType.HL7V2_ER7, TransformSupport.charsetOf(content), step, TransformSupport.describe(message));
    };
  }
}
