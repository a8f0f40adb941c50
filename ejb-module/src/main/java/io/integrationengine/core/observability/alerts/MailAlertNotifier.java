package io.integrationengine.core.observability.alerts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;
import java.util.Properties;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * {@code mail:<address>}: an e-mail through the Jakarta Mail session {@code mail/engine} (created by
 * {@code config/alerts.asadmin}: SMTP host, port and sender are its settings). The session is looked
 * up for every notification, so a change of its settings applies at once, and a missing one is a
 * notification failure (tried again) rather than a deployment failure.
 */
@ApplicationScoped
public class MailAlertNotifier implements AlertNotifier {

  public static final String SESSION = "mail/engine";

  @Override
  public String scheme() {
    return NotifyTarget.MAIL;
  }

  @Override
  public void send(String address, Notification n) throws Exception {
    Session session;
    try {
      session = (Session) new InitialContext().lookup(SESSION);
    } catch (NamingException e) {
      throw new IllegalStateException("no mail session " + SESSION + " (config/alerts.asadmin creates it): " + e.getMessage(), e);
    }
    Properties settings = session.getProperties();
    // a mail server that does not answer must not hold the alert round for minutes
    for (String key : new String[] {"mail.smtp.connectiontimeout", "mail.smtp.timeout", "mail.smtp.writetimeout"}) {
      settings.putIfAbsent(key, "10000");
    }
    MimeMessage mail = new MimeMessage(session);
    if (session.getProperty("mail.from") != null) {
      mail.setFrom(new InternetAddress(session.getProperty("mail.from")));
    } else {
      mail.setFrom();
    }
    mail.setRecipients(Message.RecipientType.TO, InternetAddress.parse(address));
    mail.setSubject("[" + n.engine() + "] " + n.state().toUpperCase(Locale.ROOT) + ": alert " + n.rule(), StandardCharsets.UTF_8.name());
    mail.setSentDate(new Date());
    mail.setHeader("X-Engine-Alert", n.alert());
    mail.setText(body(n), StandardCharsets.UTF_8.name());
    Transport.send(mail);
  }

  static String body(Notification n) {
    return "Alert " + n.rule() + " (" + n.type() + ") is " + n.state() + " since " + n.since() + ".\n\n" + n.detail() + "\n\n"
        + "value:  " + n.value() + "\n"
        + "alert:  " + n.alert() + "\n"
        + "engine: " + n.engine() + "\n\n"
        + "Open and recently resolved alerts: GET /api/alerts\n";
  }
}
