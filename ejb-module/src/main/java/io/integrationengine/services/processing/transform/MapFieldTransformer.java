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
 * {@code map(PATH, table)} or {@code map(PATH, table, default)}: replaces the value at PATH (the
 * first segment and repetition, or each one with {@code *}) by its entry in a lookup table, e.g.
 * {@code map(PV1-3.1, wards)} or {@code map(OBX(*)-3, loinc, UNMAPPED)}. A component is looked up
 * and written decoded; a whole field as written, so a table can map a coded element
 * ({@code 11156-7^LEUKOCYTES^LN}) to another. Empty values are left alone. A value the table lacks
 * takes the default; without one the step fails naming table, key and path, because a silently
 * unmapped code reaches the receiver as a wrong one. The table must exist when the route is read.
 */
@ApplicationScoped
public class MapFieldTransformer implements Transformer {

  public MapFieldTransformer() {}

  @Override
  public String name() {
    return "map";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "(path, table) or (path, table, default)", arguments, 2, 3);
    FieldPath path = TransformSupport.targetPath(name(), arguments.get(0));
    String table = arguments.get(1);
    if (table.isEmpty() || !tables.exists(table)) {
      throw new IllegalArgumentException(name() + ": there is no lookup table '" + table + "' (tables are configured as engine/tables/<name>)");
    }
    Optional<String> fallback = arguments.size() == 3 ? Optional.of(arguments.get(2)) : Optional.empty();
    String step = name() + "(" + String.join(", ", arguments) + ")";
    return content -> {
      Er7Message message = TransformSupport.er7(content, step);
      for (FieldPath position : message.positions(path)) {
        Optional<String> key = message.first(position);
        if (key.isEmpty()) {
          continue;
        }
        Optional<String> mapped = tables.lookup(table, key.get()).or(() -> fallback);
        if (mapped.isEmpty()) {
          throw new TransformException(step + ": lookup table '" + table + "' has no entry for '" + key.get() + "' (" + position + " of "
              + TransformSupport.describe(message) + ") and no default is given");
        }
        try {
          if (path.component() == 0) {
            message.setAsWritten(position, mapped.get());
          } else {
            message.set(position, mapped.get());
          }
        } catch (IllegalArgumentException e) {
          throw new TransformException(step + ": the value for '" + key.get() + "' in table '" + table + "' cannot be written to "
              + position + " of " + TransformSupport.describe(message) + ": " + e.getMessage(), e);
        }
      }
      return TransformSupport.content(message.encode(), ContentType.HL7V2_ER7, TransformSupport.charsetOf(content), step, TransformSupport.describe(message));
    };
  }
}
