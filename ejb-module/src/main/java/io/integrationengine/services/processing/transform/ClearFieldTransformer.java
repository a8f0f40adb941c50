package io.integrationengine.services.processing.transform;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code clear(PATH)}: empties a field, repetition, component or subcomponent of an ER7 message,
 * keeping the delimiters around it, e.g. {@code clear(PID-19)} or {@code clear(NK1(*)-5)}. A path
 * that stops at the field without a repetition empties the whole field, every repetition included
 * (so {@code clear(PID-3)} leaves no identifier behind); otherwise the first segment and repetition
 * are meant unless an index or {@code *} says otherwise. Positions the message lacks are left
 * alone.
 */
@ApplicationScoped
public class ClearFieldTransformer implements Transformer {

  public ClearFieldTransformer() {}

  @Override
  public String name() {
    return "clear";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "(path)", arguments, 1, 1);
    FieldPath path = TransformSupport.targetPath(name(), arguments.get(0));
    String step = name() + "(" + path + ")";
    return content -> {
      Er7Message message = TransformSupport.er7(content, step);
      message.clear(path);
      return TransformSupport.content(message.encode(), ContentType.HL7V2_ER7, TransformSupport.charsetOf(content), step, TransformSupport.describe(message));
    };
  }
}
