package io.integrationengine.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message search benchmark ({@code bench/search-bench}): fills the PostgreSQL message store of
 * a running engine with N generated HL7v2 envelopes and their attribute rows straight into the
 * engine's tables (one {@code INSERT ... SELECT} over {@code generate_series} each, the tables'
 * secondary indexes dropped during the load and built again after it), analyzes them, then times
 * every search of the console's {@code GET /api/messages} (as an operator, token from
 * {@code engine-cli}) several times and prints the median and maximum of each, with the number of
 * messages found.
 *
 * <pre>
 * java -cp ... io.integrationengine.bench.SearchBenchmark --db-port P --db-password-file F --api http://127.0.0.1:H --issuer URL
 *     [--messages 1000000] [--runs 5] [--limit 100] [--reload]
 * </pre>
 */
public final class SearchBenchmark {

  private static final String[] FAMILIES = {
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON",
    "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN", "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS",
    "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES", "GREEN", "ADAMS", "NELSON", "BAKER", "HALL",
    "RIVERA", "CAMPBELL", "MITCHELL", "CARTER", "ROBERTS", "GOMEZ", "PHILLIPS", "EVANS", "TURNER", "DIAZ", "PARKER", "CRUZ", "EDWARDS", "COLLINS", "REYES",
    "STEWART", "MORRIS", "MORALES", "MURPHY", "COOK", "ROGERS", "GUTIERREZ", "ORTIZ", "MORGAN", "COOPER", "PETERSON", "BAILEY", "REED", "KELLY", "HOWARD",
    "RAMOS", "KIM", "COX", "WARD", "RICHARDSON"};
  private static final String[] GIVEN = {
    "JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH", "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH",
    "JESSICA", "THOMAS", "SARAH", "CHARLES", "KAREN", "CHRISTOPHER", "LISA", "DANIEL", "NANCY", "MATTHEW", "BETTY", "ANTHONY", "MARGARET", "MARK", "SANDRA",
    "DONALD", "ASHLEY", "STEVEN", "KIMBERLY", "PAUL", "EMILY", "ANDREW", "DONNA", "JOSHUA", "MICHELLE", "KENNETH", "CAROL", "KEVIN", "AMANDA", "BRIAN",
    "DOROTHY", "GEORGE", "MELISSA", "TIMOTHY", "DEBORAH"};
  private static final String[] APPS = {"EPIC", "CERNER", "MEDITECH", "LABSYS", "RADIS", "PHARMSYS", "ADMITTING", "CARDIO", "ONCOLOGY", "BLOODBANK", "PATHLAB", "SCHEDULER"};
  private static final String[] TYPES = {"ADT^A01", "ADT^A04", "ADT^A08", "ADT^A08", "ADT^A03", "ADT^A02", "ORU^R01", "ORU^R01", "ORM^O01", "SIU^S12"};
  /** Patients the messages are about: each has about messages / PATIENTS messages. */
  private static final int PATIENTS = 200_000;

  private SearchBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = MllpLoadGenerator.parse(args);
    int messages = Integer.parseInt(options.getOrDefault("messages", "1000000"));
    int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
    int limit = Integer.parseInt(options.getOrDefault("limit", "100"));
    String password = Files.readString(Path.of(options.get("db-password-file"))).lines().findFirst().orElse("").replaceFirst("^[A-Z_]*=", "");
    String url = "jdbc:postgresql://127.0.0.1:" + options.get("db-port") + "/" + options.getOrDefault("db-name", "postgres");
    try (Connection db = DriverManager.getConnection(url, options.getOrDefault("db-user", "engine"), password)) {
      long stored = count(db, "select count(*) from engine_envelope where remote_address like 'search-bench %'");
      if (stored > 0 && (stored != messages || options.containsKey("reload"))) {
        System.out.printf("[search-bench] deleting the %,d messages of an earlier load%n", stored);
        try (Statement s = db.createStatement()) {
          s.execute("delete from engine_attribute where message_id in (select id from engine_envelope where remote_address like 'search-bench %')");
          s.execute("delete from engine_content where message_id in (select id from engine_envelope where remote_address like 'search-bench %')");
          s.execute("delete from engine_envelope where remote_address like 'search-bench %'");
        }
        stored = 0;
      }
      if (stored == 0) {
        load(db, messages);
      } else {
        System.out.printf("[search-bench] %,d generated messages already in the store (--reload loads them again)%n", stored);
      }
      System.out.printf("[search-bench] store: %,d envelopes, %,d attribute rows; %s%n", count(db, "select count(*) from engine_envelope"),
          count(db, "select count(*) from engine_attribute"), settings(db));
      // the engine makes the search's PostgreSQL-only indexes in the background at its start (StoreSearchIndexes, same names)
      while (count(db, "select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid where i.indisvalid and c.relname in"
          + " ('ix_attribute_name', 'ix_attribute_text', 'ix_envelope_control_id_trgm', 'ix_envelope_detail_trgm')") < 4
          || count(db, "select count(*) from pg_stat_progress_create_index") > 0) {
        System.out.println("[search-bench] waiting for the engine to build its search indexes");
        Thread.sleep(5000);
      }
      Samples samples = samples(db);
      Map<String, String> searches = searches(samples);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      String api = options.get("api") + "/api/messages?limit=" + limit;
      System.out.printf("[search-bench] %d runs of each search, limit %d, as operator; times in ms (whole HTTP request)%n", runs, limit);
      System.out.println();
      System.out.println("| search | query | found | median ms | max ms |");
      System.out.println("|---|---|---|---|---|");
      List<String> slow = new ArrayList<>();
      for (Map.Entry<String, String> search : searches.entrySet()) {
        // a token per search: the password grant's tokens live five minutes
        String token = token(http, options.get("issuer"));
        long[] times = new long[runs];
        int found = -1;
        for (int run = 0; run < runs; run++) {
          long start = System.nanoTime();
          HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + search.getValue())).header("Authorization", "Bearer " + token)
              .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
          times[run] = (System.nanoTime() - start) / 1_000_000;
          if (answer.statusCode() != 200) {
            throw new IllegalStateException(search.getKey() + ": HTTP " + answer.statusCode() + " " + answer.body());
          }
          found = countOf(answer.body(), "\"receivedAt\"");
        }
        long[] sorted = times.clone();
        java.util.Arrays.sort(sorted);
        long median = sorted[runs / 2];
        long max = sorted[runs - 1];
        if (max >= 1000) {
          slow.add(search.getKey());
        }
        System.out.printf("| %s | `%s` | %d | %d | %d |%n", search.getKey(), search.getValue(), found, median, max);
      }
      System.out.println();
      System.out.println(slow.isEmpty() ? "[search-bench] every search answered in under a second" : "[search-bench] over a second: " + String.join(", ", slow));
    }
  }

  /** What the searches look for: values taken from the generated messages. */
  private record Samples(String controlId, String patientId, String family, String fullName, String day) {}

  private static Samples samples(Connection db) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("select e.control_id, a.attr_value, e.received_at::date from engine_envelope e join engine_attribute a on a.message_id = e.id"
            + " where e.remote_address like 'search-bench %' and a.name = 'patientId' order by e.received_at desc offset 500000 limit 1")) {
      if (!r.next()) {
        throw new IllegalStateException("no generated messages in the store");
      }
      return new Samples(r.getString(1), r.getString(2), "MORGAN", "GARCIA^JOHN", r.getObject(3, LocalDate.class).minusDays(1).toString());
    }
  }

  private static Map<String, String> searches(Samples s) {
    String from = s.day() + "T10:00:00Z";
    String to = s.day() + "T11:00:00Z";
    Map<String, String> searches = new LinkedHashMap<>();
    searches.put("newest (landing page)", "");
    searches.put("control id", "&controlId=" + s.controlId());
    searches.put("patient id", "&patient=" + q(s.patientId()));
    searches.put("patient name prefix, common", "&patient=" + q(s.family()));
    searches.put("patient name prefix, family^given", "&patient=" + q(s.fullName()));
    searches.put("patient name prefix, nobody", "&patient=QQQ");
    searches.put("patient name prefix, one letter", "&patient=M");
    searches.put("type ADT^A01", "&type=" + q("ADT^A01"));
    searches.put("type ADT (every event)", "&type=ADT");
    searches.put("type SIU^S14 (none)", "&type=" + q("SIU^S14"));
    searches.put("type ZZZ (no such code)", "&type=ZZZ");
    searches.put("status ROUTED", "&status=ROUTED");
    searches.put("status REJECTED", "&status=REJECTED");
    searches.put("status RECEIVED (none)", "&status=RECEIVED");
    searches.put("channel file:hl7", "&channel=" + q("file:hl7"));
    searches.put("sender BLOODBANK", "&sender=BLOODBANK");
    searches.put("sender HOSP07 (facility)", "&sender=HOSP07");
    searches.put("sender nobody", "&sender=NOBODY");
    searches.put("date range, one hour", "&from=" + q(from) + "&to=" + q(to));
    searches.put("text, a control id's digits", "&text=" + s.controlId().replaceAll("^[A-Z]+", ""));
    searches.put("text, a name (common)", "&text=" + q("MORGAN^KEVIN"));
    searches.put("text, an error", "&text=" + q("PID-3"));
    searches.put("text, nowhere", "&text=" + q("XYZZY"));
    searches.put("text, in every message", "&text=" + q("ENGINE"));
    searches.put("text, a family name", "&text=" + q("MORGAN"));
    searches.put("text, a family name in lower case", "&text=" + q("morgan"));
    // alone, a text of two characters is refused (400): it would read every message
    searches.put("text, two characters (no trigram) + date range, one hour", "&text=" + q("Q7") + "&from=" + q(from) + "&to=" + q(to));
    searches.put("patient id + type", "&patient=" + q(s.patientId()) + "&type=ADT");
    searches.put("patient name + date range", "&patient=" + q(s.family()) + "&from=" + q(s.day()) + "&to=" + q(s.day()));
    searches.put("status REJECTED + channel", "&status=REJECTED&channel=" + q("mllp:default"));
    searches.put("sender + type + date range", "&sender=LABSYS&type=" + q("ORU^R01") + "&from=" + q(from) + "&to=" + q(to));
    searches.put("text + channel", "&text=" + q("MORGAN") + "&channel=" + q("file:hl7"));
    searches.put("text + status REJECTED", "&text=" + q("PID-3") + "&status=REJECTED");
    searches.put("text in every message + status REJECTED", "&text=" + q("ENGINE") + "&status=REJECTED");
    searches.put("patient name + status REJECTED", "&patient=" + q(s.family()) + "&status=REJECTED");
    searches.put("sender + status REJECTED", "&sender=BLOODBANK&status=REJECTED");
    searches.put("patient name + sender", "&patient=" + q(s.family()) + "&sender=BLOODBANK");
    searches.put("type + status UNROUTED + date range", "&type=ORM&status=UNROUTED&from=" + q(s.day()) + "&to=" + q(s.day()));
    return searches;
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** An operator's access token (password grant of the public client engine-cli). */
  private static String token(HttpClient http, String issuer) throws IOException, InterruptedException {
    String form = "grant_type=password&client_id=engine-cli&username=operator&password=operator";
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body());
    if (answer.statusCode() != 200 || !token.find()) {
      throw new IllegalStateException("no token from " + issuer + ": HTTP " + answer.statusCode() + " " + answer.body());
    }
    return token.group(1);
  }

  private static int countOf(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      n++;
    }
    return n;
  }

  private static long count(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static String settings(Connection db) throws SQLException {
    StringBuilder text = new StringBuilder();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("select name, setting, unit from pg_settings where name in ('server_version', 'shared_buffers', 'work_mem',"
            + " 'effective_cache_size', 'max_parallel_workers_per_gather', 'random_page_cost', 'jit') order by name")) {
      while (r.next()) {
        text.append(text.isEmpty() ? "PostgreSQL " : ", ").append(r.getString(1)).append('=').append(r.getString(2)).append(r.getString(3) == null ? "" : " " + r.getString(3));
      }
    }
    return text.toString();
  }

  /**
   * Generates the messages in one transaction: a temporary table of what each message is (sender,
   * type, patient, status, ...; spread over the last 30 days, oldest first, ids of version 7 from
   * the receiving time like the engine's), then the envelopes with their ER7 bytes and eight
   * attribute rows each, as HL7 intake stores them. The tables' secondary indexes (the engine's,
   * whatever they are) are dropped first and built again after, which is several times faster than
   * maintaining them row by row.
   */
  private static void load(Connection db, int messages) throws SQLException {
    long start = System.nanoTime();
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      s.execute("set local maintenance_work_mem = '512MB'");
      s.execute("set local work_mem = '256MB'");
      List<String> indexes = new ArrayList<>();
      try (ResultSet r = s.executeQuery("select i.indexname, i.indexdef from pg_indexes i join pg_class c on c.relname = i.indexname"
          + " where i.tablename in ('engine_envelope', 'engine_attribute') and not exists (select 1 from pg_constraint k where k.conindid = c.oid)")) {
        while (r.next()) {
          indexes.add(r.getString(2));
        }
      }
      for (String definition : indexes) {
        String name = definition.replaceFirst("^CREATE (UNIQUE )?INDEX (\\S+) .*$", "$2");
        try (Statement drop = db.createStatement()) {
          drop.execute("drop index " + name);
        }
      }
      System.out.printf("[search-bench] generating %,d messages (%d secondary indexes dropped for the load)%n", messages, indexes.size());
      s.execute("create temporary table search_bench on commit drop as"
          + " select substr(hex, 1, 8) || '-' || substr(hex, 9, 4) || '-7' || substr(r, 1, 3) || '-' || (array['8', '9', 'a', 'b'])[1 + i % 4] || substr(r, 4, 3)"
          + "   || '-' || substr(r, 7, 12) as id, *"
          + " from (select lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') as hex, md5(i::text) as r, *"
          + " from (select i, now() - interval '1 minute' - (" + messages + " - i) * (interval '30 days' / " + messages + ") as ts,"
          + "   (" + array(APPS) + ")[1 + abs(hashint4extended(i, 2) % " + APPS.length + ")] as app,"
          + "   'HOSP' || lpad((1 + abs(hashint4extended(i, 3) % 30))::text, 2, '0') as fac,"
          + "   (" + array(TYPES) + ")[1 + abs(hashint4extended(i, 4) % " + TYPES.length + ")] as type,"
          + "   (1000000 + 1 + abs(hashint4extended(i, 1) % " + PATIENTS + "))::text as mrn,"
          + "   case when abs(hashint4extended(i, 6) % 1000) < 955 then 'ROUTED' when abs(hashint4extended(i, 6) % 1000) < 985 then 'UNROUTED' else 'REJECTED' end as status,"
          + "   case when abs(hashint4extended(i, 5) % 100) < 80 then 'mllp:default' when abs(hashint4extended(i, 5) % 100) < 95 then 'file:hl7'"
          + "     else 'mllp:tls (CN=lab.example.org, O=Example Hospital)' end as channel"
          + "   from generate_series(1, " + messages + ") i) g"
          + " cross join lateral (select left(g.app, 3) || lpad(g.i::text, 9, '0') as control_id,"
          + "   (" + array(FAMILIES) + ")[1 + abs(hashint4extended(g.mrn::int, 7) % " + FAMILIES.length + ")] as family,"
          + "   (" + array(GIVEN) + ")[1 + abs(hashint4extended(g.mrn::int, 8) % " + GIVEN.length + ")] as given,"
          + "   (array['2.3', '2.5', '2.5.1'])[1 + abs(hashint4extended(length(g.app), 9) % 3)] as version) x) h");
      int envelopes = s.executeUpdate("insert into engine_envelope (id, received_at, updated_at, queued_at, channel, remote_address, content_type, charset,"
          + " control_id, message_type, status, status_detail, row_version)"
          + " select id, ts, ts, ts, channel, 'search-bench 10.20.' || (i % 250) || '.' || (i % 199) || ':' || (20000 + i % 40000),"
          + "   'HL7V2_ER7', 'UTF-8', control_id, type, status,"
          + "   case status when 'ROUTED' then 'Routes: ' || case left(type, 3) when 'ADT' then 'adt' when 'ORU' then 'results' when 'ORM' then 'orders' else 'scheduling' end"
          + "     when 'UNROUTED' then 'No route matches message type ' || type"
          + "     else (array['Conformance profile violated: PID-3 (Patient Identifier List) is required',"
          + "       'Unreadable HL7v2 message: EncodingNotSupportedException Can''t parse message beginning MSH|^~\\&',"
          + "       'Conformance profile violated: PV1-2 (Patient Class) is required'])[1 + i % 3] end,"
          + "   1 from search_bench");
      s.executeUpdate("insert into engine_content (message_id, content)"
          + " select id, convert_to('MSH|^~\\&|' || app || '|' || fac || '|ENGINE|MAIN|' || to_char(ts, 'YYYYMMDDHH24MISS') || '||' || type || '|' || control_id || '|P|' || version || chr(13)"
          + "     || 'EVN|' || split_part(type, '^', 2) || '|' || to_char(ts, 'YYYYMMDDHH24MISS') || chr(13)"
          + "     || 'PID|1||' || mrn || '^^^HOSP^MR||' || family || '^' || given || '^^^^^L||' || (19300101 + (mrn::int % 80) * 10000 + (mrn::int % 12) * 100 + mrn::int % 28)"
          + "     || '|' || (array['M', 'F'])[1 + mrn::int % 2] || '|||' || (100 + mrn::int % 9000) || ' MAIN ST^^SPRINGFIELD^IL^62701||(217)555-' || lpad((mrn::int % 10000)::text, 4, '0') || chr(13)"
          + "     || 'PV1|1|I|WARD' || (mrn::int % 20) || '^' || (100 + mrn::int % 50) || '^1^HOSP||||' || (1000 + i % 300) || '^DOCTOR^ATTENDING' || chr(13)"
          + "     || case when type like 'ORU%' then 'OBR|1||' || control_id || '|94558-4^SARS-CoV-2 Ag^LN' || chr(13)"
          + "       || 'OBX|1|CWE|94558-4^SARS-CoV-2 Ag^LN||260385009^Negative^SCT||||||F' || chr(13) else '' end, 'UTF8')"
          + " from search_bench");
      int attributes = s.executeUpdate("insert into engine_attribute (message_id, name, attr_value)"
          + " select b.id, a.name, a.value from search_bench b"
          + " cross join lateral (values ('sendingApplication', b.app), ('sendingFacility', b.fac), ('receivingApplication', 'ENGINE'), ('receivingFacility', 'MAIN'),"
          + "   ('version', b.version), ('patientId', b.mrn), ('patientIdentifier', b.mrn || '^^^HOSP'), ('patientName', b.family || '^' || b.given)) a(name, value)");
      System.out.printf("[search-bench] %,d envelopes and %,d attribute rows inserted in %.0f s; building %d indexes%n", envelopes, attributes,
          (System.nanoTime() - start) / 1e9, indexes.size());
      for (String definition : indexes) {
        long t = System.nanoTime();
        s.execute(definition);
        System.out.printf("[search-bench]   %.0f s: %s%n", (System.nanoTime() - t) / 1e9, definition);
      }
      db.commit();
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
    try (Statement s = db.createStatement()) {
      s.execute("vacuum analyze engine_envelope");
      s.execute("vacuum analyze engine_attribute");
    }
    System.out.printf("[search-bench] loaded and analyzed in %.0f s%n", (System.nanoTime() - start) / 1e9);
  }

  private static String array(String[] values) {
    StringBuilder sql = new StringBuilder("array[");
    for (int i = 0; i < values.length; i++) {
      sql.append(i == 0 ? "" : ", ").append('\'').append(values[i].replace("'", "''")).append('\'');
    }
    return sql.append(']').toString();
  }
}
