package io.integrationengine.services.processing.hl7;

import java.util.Objects;

/**
 * A position in an HL7v2 message, written the way analysts write it:
 * {@code SEG[(n|*)][-FIELD[(r|*)][.COMP[.SUB]]]}, every number counting from 1 ({@code PID},
 * {@code PID-8}, {@code PID-3.1}, {@code OBX(2)-5}, {@code PID-3(2).1}, {@code PID-3(*).4},
 * {@code MSH-9.2}, {@code ZPI-1.2.3}). Whether a segment index or repetition was given, was
 * {@code *}, or was left out is kept, because reading and editing give an omitted one different
 * meanings (see {@link Er7Message}). {@code field}, {@code component} and {@code subcomponent} are
 * 0 when the path stops before them.
 */
public record FieldPath(
    String segment, Occurrence segmentOccurrence, int field, Occurrence repetition, int component, int subcomponent) {

  /** Larger positions are typos; accepting them would let one edit pad a segment with thousands of delimiters. */
  static final int MAX_POSITION = 9999;

  private static final String GRAMMAR = "SEG[(n|*)][-FIELD[(r|*)][.COMP[.SUB]]], e.g. PID-3(2).1";

  public FieldPath {
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(segmentOccurrence, "segmentOccurrence");
    Objects.requireNonNull(repetition, "repetition");
    if (!isSegmentId(segment)) {
      throw new IllegalArgumentException("segment id '" + segment + "' must be a capital letter followed by two capitals or digits");
    }
    checkRange("field", field, 0);
    checkRange("component", component, 0);
    checkRange("subcomponent", subcomponent, 0);
    if (field == 0 && (component > 0 || !repetition.isAbsent())) {
      throw new IllegalArgumentException("a repetition or component needs a field");
    }
    if (component == 0 && subcomponent > 0) {
      throw new IllegalArgumentException("a subcomponent needs a component");
    }
  }

  /**
   * Reads a path as written in configuration.
   *
   * @throws IllegalArgumentException naming the path and what is wrong with it
   */
  public static FieldPath parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a field path is required (" + GRAMMAR + ")");
    }
    return new PathReader(text).read();
  }

  /** True when the path names a field, not only a segment. */
  public boolean hasField() {
    return field > 0;
  }

  /**
   * True for MSH-1 and MSH-2 (and BHS/FHS-1 and -2): the delimiters themselves, which can be read
   * but not changed without re-encoding the whole message.
   */
  public boolean namesDelimiters() {
    return isHeaderSegment(segment) && (field == 1 || field == 2);
  }

  /** The same position in one given segment and one given repetition (used to list edit targets). */
  FieldPath at(int segmentIndex, int repetitionIndex) {
    return new FieldPath(segment, Occurrence.of(segmentIndex), field, Occurrence.of(repetitionIndex), component, subcomponent);
  }

  /** The path as it is written, e.g. {@code OBX(2)-5.1}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(segment).append(segmentOccurrence);
    if (field > 0) {
      text.append('-').append(field).append(repetition);
      if (component > 0) {
        text.append('.').append(component);
        if (subcomponent > 0) {
          text.append('.').append(subcomponent);
        }
      }
    }
    return text.toString();
  }

  /** MSH and the batch/file headers count their separator as field 1 and their encoding characters as field 2. */
  static boolean isHeaderSegment(String segmentId) {
    return "MSH".equals(segmentId) || "BHS".equals(segmentId) || "FHS".equals(segmentId);
  }

  private static boolean isSegmentId(String id) {
    if (id.length() != 3 || id.charAt(0) < 'A' || id.charAt(0) > 'Z') {
      return false;
    }
    for (int i = 1; i < 3; i++) {
      char c = id.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  private static void checkRange(String what, int value, int min) {
    if (value < min || value > MAX_POSITION) {
      throw new IllegalArgumentException(what + " " + value + " is out of range " + min + ".." + MAX_POSITION);
    }
  }

  /**
   * Which segments of a type, or which repetitions of a field, a path names: {@link #ABSENT} (none
   * written), {@link #ALL} ({@code *}) or one 1-based {@code index}.
   */
  public record Occurrence(int index) {

    public static final Occurrence ABSENT = new Occurrence(0);
    public static final Occurrence ALL = new Occurrence(-1);

    public Occurrence {
      if (index < -1 || index > MAX_POSITION) {
        throw new IllegalArgumentException("index " + index + " is out of range 1.." + MAX_POSITION);
      }
    }

    public static Occurrence of(int index) {
      if (index < 1) {
        throw new IllegalArgumentException("index " + index + " must be 1 or more");
      }
      return new Occurrence(index);
    }

    public boolean isAbsent() {
      return index == 0;
    }

    public boolean isAll() {
      return index == -1;
    }

    public boolean isIndex() {
      return index > 0;
    }

    /** As written after a segment id or field number: empty, {@code (*)} or {@code (n)}. */
    @Override
    public String toString() {
      return isAbsent() ? "" : isAll() ? "(*)" : "(" + index + ")";
    }
  }

  /** A hand-written reader, so each mistake gets a message that points at it. */
  private static final class PathReader {

    private final String text;
    private int pos;

    PathReader(String text) {
      this.text = text;
    }

    FieldPath read() {
      if (text.length() < 3) {
        throw fail("it is too short for a segment id");
      }
      String segment = text.substring(0, 3);
      if (!isSegmentId(segment)) {
        throw fail("the segment id '" + segment + "' must be a capital letter followed by two capitals or digits");
      }
      pos = 3;
      Occurrence segmentOccurrence = occurrence("segment index");
      if (end()) {
        return new FieldPath(segment, segmentOccurrence, 0, Occurrence.ABSENT, 0, 0);
      }
      expect('-', "'-' and a field number");
      int field = number("field");
      Occurrence repetition = occurrence("repetition");
      int component = 0;
      int subcomponent = 0;
      if (!end()) {
        expect('.', "'.' and a component number");
        component = number("component");
        if (!end()) {
          expect('.', "'.' and a subcomponent number");
          subcomponent = number("subcomponent");
        }
      }
      if (!end()) {
        throw fail("unexpected '" + text.substring(pos) + "' at position " + (pos + 1));
      }
      return new FieldPath(segment, segmentOccurrence, field, repetition, component, subcomponent);
    }

    private Occurrence occurrence(String what) {
      if (end() || text.charAt(pos) != '(') {
        return Occurrence.ABSENT;
      }
      pos++;
      Occurrence occurrence;
      if (!end() && text.charAt(pos) == '*') {
        pos++;
        occurrence = Occurrence.ALL;
      } else {
        occurrence = Occurrence.of(number(what));
      }
      expect(')', "')' closing the " + what);
      return occurrence;
    }

    private int number(String what) {
      int start = pos;
      while (!end() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
      }
      if (start == pos) {
        throw fail("expected a " + what + " number at position " + (start + 1));
      }
      if (pos - start > 4 || Integer.parseInt(text, start, pos, 10) > MAX_POSITION) {
        throw fail(what + " " + text.substring(start, pos) + " is larger than " + MAX_POSITION);
      }
      int value = Integer.parseInt(text, start, pos, 10);
      if (value == 0) {
        throw fail(what + " 0: positions count from 1, as in the HL7 standard");
      }
      return value;
    }

    private void expect(char c, String what) {
      if (end() || text.charAt(pos) != c) {
        throw fail("expected " + what + " at position " + (pos + 1));
      }
      pos++;
    }

    private boolean end() {
      return pos >= text.length();
    }

    private IllegalArgumentException fail(String reason) {
      return new IllegalArgumentException("'" + text + "' is not a field path (" + GRAMMAR + "): " + reason);
    }
  }
}
