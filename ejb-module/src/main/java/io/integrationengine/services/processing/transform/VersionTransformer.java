package io.integrationengine.services.processing.transform;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.services.processing.LookupTables;
import io.integrationengine.services.processing.TransformStep;
import io.integrationengine.services.processing.Transformer;
import io.integrationengine.services.processing.hl7.Er7Message;
import io.integrationengine.services.processing.hl7.FieldPath;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code version(2.5)}: writes the version id (MSH-12.1) of an ER7 message, for receivers that
 * insist on one version. Only that component changes: segments and fields that differ between
 * versions are not converted, and MSH-12's other components (internationalization) stay.
 */
@ApplicationScoped
public class VersionTransformer implements Transformer {

  private static final Pattern VERSION = Pattern.compile("2\\.[1-9](\\.[1-9])?");
  private static final FieldPath VERSION_ID = FieldPath.parse("MSH-12.1");

  public VersionTransformer() {}

  @Override
  public String name() {
    return "version";
  }

  @Override
  public TransformStep prepare(List<String> arguments, LookupTables tables) {
    TransformSupport.requireArguments(name(), "(version)", arguments, 1, 1);
    String version = arguments.get(0);
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(name() + ": '" + version + "' is not an HL7 version 2.x (e.g. 2.3, 2.5.1)");
    }
    String step = name() + "(" + version + ")";
    return content -> {
      Er7Message message = TransformSupport.er7(content, step);
      message.set(VERSION_ID, version);
      return TransformSupport.content(message.encode(), ContentType.HL7V2_ER7, TransformSupport.charsetOf(content), step, TransformSupport.describe(message));
    };
  }
}
