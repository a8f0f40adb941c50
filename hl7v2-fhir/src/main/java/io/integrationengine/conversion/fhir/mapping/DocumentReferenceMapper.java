package io.integrationengine.conversion.fhir.mapping;

import io.integrationengine.conversion.fhir.datatype.DateTimes;
import io.integrationengine.conversion.fhir.er7.Er7Field;
import io.integrationengine.conversion.fhir.er7.Er7Segment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

/**
 * TXA (with the OBX segments that carry the document body in MDM messages) to DocumentReference (IG
 * TXA[DocumentReference]): type, date, authors, authenticator, unique document number as master
 * identifier, completion status as docStatus; text OBX become a text/plain attachment, ED OBX an
 * attachment of their own media type.
 */
public final class DocumentReferenceMapper implements SegmentMapper {

  @Override
  public Set<String> segments() {
    return Set.of("TXA");
  }

  @Override
  public void map(Er7Segment txa, ConversionContext context) {
    if (context.patientReference() == null) {
      return;
    }
    txa.handled();
    txa.use(1);
    DocumentReference document = new DocumentReference();
    document.setStatus(DocumentReferenceStatus.CURRENT);
    Er7Field type = txa.field(2);
    if (type != null) {
      CodeableConcept concept = context.types().codeableConcept(type);
      if (concept != null) {
        document.setType(concept);
      }
    }
    document.setSubject(context.patientReference());
    InstantType date = DateTimes.instant(txa.value(4) != null ? txa.value(4) : txa.value(6));
    if (date != null) {
      document.setDateElement(date);
    }
    for (Er7Field xcn : txa.fields(9)) {
      Reference author = context.practitioner(xcn);
      if (author != null) {
        document.addAuthor(author);
      } else if (xcn.comp(1) != null) {
        document.addAuthor(new Reference().setDisplay(xcn.comp(1)));
      }
    }
    for (Er7Field xcn : txa.fields(10)) {
      Reference authenticator = context.practitioner(xcn);
      if (authenticator != null) {
        document.setAuthenticator(authenticator);
        break;
      }
    }
    Identifier master = context.types().entityIdentifier(txa.field(12));
    if (master != null) {
      document.setMasterIdentifier(master);
    }
    Identifier placer = context.types().entityIdentifier(txa.field(14));
    if (placer != null) {
      document.addIdentifier(placer);
    }
    String completion = txa.value(17);
    if (completion != null) {
      switch (completion) {
        case "AU", "LA", "DO" ->
            document.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
        case "IP", "IN", "DI", "PA" ->
            document.setDocStatus(DocumentReference.ReferredDocumentStatus.PRELIMINARY);
        default -> {}
      }
    }
    if (context.encounterReference() != null) {
      document.getContext().addEncounter(context.encounterReference());
    }
    context.add(document, master);
    context.setDocument(document);
    String fileName = txa.value(16);
    if (fileName != null) {
      document.addContent().getAttachment().setTitle(fileName);
    }
  }

  /** An OBX carrying (part of) the document body. */
  static void addContent(Er7Segment obx, ConversionContext context) {
    DocumentReference document = context.document();
    obx.handled();
    obx.use(1, 2, 3, 4, 11);
    String type = obx.value(2) == null ? "TX" : obx.value(2);
    List<Er7Field> values = obx.fields(5);
    if (values.isEmpty()) {
      return;
    }
    if ("ED".equals(type)) {
      Er7Field ed = values.get(0);
      Attachment attachment = new Attachment();
      String subtype = ed.comp(3);
      String mediaType =
          ed.comp(2) != null && subtype != null
              ? (ed.comp(2) + "/" + subtype).toLowerCase()
              : "application/octet-stream";
      if (!mediaType.matches("[a-z]+/[a-z0-9.+-]+")) {
        mediaType = "application/octet-stream";
      }
      String data = ed.comp(5);
      if (data != null
          && "BASE64".equalsIgnoreCase(ed.comp(4))
          && data.matches("[A-Za-z0-9+/=\\s]+")) {
        attachment
            .setContentType(mediaType)
            .setDataElement(new org.hl7.fhir.r4.model.Base64BinaryType(data.replaceAll("\\s", "")));
      } else if (data != null) {
        attachment.setContentType("text/plain").setData(data.getBytes(StandardCharsets.UTF_8));
      } else {
        context.note(obx, 5, ed.raw(), "ED without data");
        return;
      }
      document.addContent().setAttachment(attachment);
      return;
    }
    List<String> lines = new ArrayList<>();
    for (Er7Field field : values) {
      String line = field.comp(1);
      if (line != null) {
        lines.add(line.replace("\\.br\\", "\n"));
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    String text = String.join("\n", lines);
    DocumentReference.DocumentReferenceContentComponent content = null;
    for (var existing : document.getContent()) {
      if ("text/plain".equals(existing.getAttachment().getContentType())) {
        content = existing;
      }
    }
    if (content == null) {
      content =
          document.getContent().stream()
              .filter(c -> !c.getAttachment().hasContentType())
              .findFirst()
              .orElseGet(document::addContent);
      content.getAttachment().setContentType("text/plain");
      content.getAttachment().setData(text.getBytes(StandardCharsets.UTF_8));
    } else {
      String previous = new String(content.getAttachment().getData(), StandardCharsets.UTF_8);
      content.getAttachment().setData((previous + "\n" + text).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void finish(ConversionContext context) {
    DocumentReference document = context.document();
    if (document != null && !document.hasContent()) {
      document.addContent().getAttachment().setTitle("document body not included in the message");
    }
  }
}
