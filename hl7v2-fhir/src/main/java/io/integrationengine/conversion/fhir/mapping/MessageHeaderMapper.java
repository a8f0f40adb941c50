package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.BundleKind;
import io.integrationengine.conversion.fhir.datatype.CodingSystems;
import io.integrationengine.conversion.fhir.datatype.DataTypes;
import io.integrationengine.conversion.fhir.datatype.DateTimes;
import io.integrationengine.conversion.fhir.datatype.IdentifierSystems;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;

/**
 * MSH to Bundle.identifier/timestamp (IG MSH[Bundle]) and, for message Bundles, to the leading
 * MessageHeader (IG MSH[MessageHeader]): event, source, destination, sender.
 */
public final class MessageHeaderMapper implements SegmentMapper {

  @Override
  public Set<String> segments() {
    return Set.of("MSH");
  }

  @Override
  public int phase() {
    return MappingPhase.HEADER;
  }

  @Override
  public void map(Er7Segment msh, ConversionContext context) {
    if (msh.position() != 1) {
      return; // a second MSH (batch not split) is reported as not mapped
    }
    msh.handled();
    // MSH-9 and MSH-12 choose how the message is read and mapped.
    msh.use(1, 2, 9, 12);
    String controlId = msh.value(10);
    if (controlId != null) {
      context.bundle().setIdentifier(new Identifier().setValue(controlId));
    }
    InstantType timestamp = DateTimes.instant(msh.value(7));
    if (timestamp != null) {
      context.bundle().setTimestampElement(timestamp);
    } else if (msh.value(7) != null) {
      context.note(
          msh, 7, msh.value(7), "message time without UTC offset cannot be a FHIR instant");
    }
    if (context.kind() != BundleKind.MESSAGE) {
      return;
    }
    MessageHeader header = new MessageHeader();
    String event = msh.value(9, 2);
    String type = msh.value(9, 1);
    Coding eventCoding = DataTypes.coding(event != null ? event : type, null, "HL70003");
    header.setEvent(eventCoding != null ? eventCoding : new Coding().setCode("unknown"));
    MessageHeader.MessageSourceComponent source = header.getSource();
    source.setEndpoint(endpoint(msh, 3));
    if (msh.value(3, 1) != null) {
      source.setName(msh.value(3, 1));
    }
    if (msh.value(5) != null || msh.value(6) != null) {
      MessageHeader.MessageDestinationComponent destination = header.addDestination();
      destination.setEndpoint(endpoint(msh, 5));
      if (msh.value(5, 1) != null) {
        destination.setName(msh.value(5, 1));
      }
      Reference receiver = facility(msh, 6, context);
      if (receiver != null) {
        destination.setReceiver(receiver);
      }
    }
    Reference sender = facility(msh, 4, context);
    if (sender != null) {
      header.setSender(sender);
    }
    // A message Bundle starts with its MessageHeader.
    context.addFirst(header);
  }

  /** HD to an endpoint: OID or URI when sent, else the application's name as given. */
  private static String endpoint(Er7Segment msh, int field) {
    String system = IdentifierSystems.system(null, msh.value(field, 2), msh.value(field, 3));
    if (system != null) {
      return system;
    }
    String name = msh.value(field, 1);
    if (name != null && CodingSystems.isOid(name)) {
      return "urn:oid:" + name;
    }
    return name != null ? name.replace(' ', '_') : "unknown";
  }

  private static Reference facility(Er7Segment msh, int field, ConversionContext context) {
    String name = msh.value(field, 1);
    String system = IdentifierSystems.system(null, msh.value(field, 2), msh.value(field, 3));
    Identifier identifier = null;
    if (system != null && system.startsWith("urn:oid:")) {
      identifier = new Identifier().setSystem("urn:ietf:rfc:3986").setValue(system);
    }
    return context.organization(name, identifier);
  }
}
