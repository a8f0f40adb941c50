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
import java.util.Optional;

/**
 * {@code copy(FROM, TO)}: writes the first non-empty value of FROM (searching every segment and
 * repetition unless FROM gives an index) to TO (the first segment and repetition unless TO gives
 * an index or {@code *}), e.g. {@code copy(PID-3.1, PID-2)}. Field to field copies the repetition
 * as written, components and escape sequences included ({@code copy(PID-5, NK1-2)}); any other
 * pair copies the decoded text. When FROM is empty TO is cleared, so no stale value stays behind.
 */
@ApplicationScoped
public class CopyFieldTransformer implements Transformer {

  public CopyFieldTransformer() {}

  @Override
  public String name() {
    return "copy";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "(from, to)", arguments, 2, 2);
    FieldPath from = TransformSupport.sourcePath(name(), arguments.get(0));
    FieldPath to = TransformSupport.targetPath(name(), arguments.get(1));
    boolean asWritten = from.component() == 0 && to.component() == 0 && !from.namesDelimiters();
    String step = name() + "(" + from + ", " + to + ")";
    return content -> {
      Er7Message message = TransformSupport.er7(content, step);
      Optional<String> value = message.first(from);
      try {
        if (value.isEmpty()) {
          message.clear(to);
        } else if (asWritten) {
          message.setAsWritten(to, value.get());
        } else {
          // a whole field read as written, going into a component: its text, escapes resolved
          message.set(to, from.component() == 0 ? message.decode(value.get()) : value.get());
        }
      } catch (IllegalArgumentException e) {
        throw new TransformException(step + " failed for " + TransformSupport.describe(message) + ": " + e.getMessage(), e);
      }
      return TransformSupport.content(message.encode(), ContentType.HL7V2_ER7, TransformSupport.charsetOf(content), step, TransformSupport.describe(message));
    };
  }
}
