package io.integrationengine.mllp.framing;

/**
 * HL7's rule for ER7 delimiters: the field separator (MSH-1) and the encoding characters (MSH-2:
 * component, repetition, escape, subcomponent, and from v2.7 truncation) are printable,
 * non-alphanumeric and all different. Only then can a message be read, or answered in its own
 * delimiters.
 */
public final class Er7Delimiters {

  private Er7Delimiters() {}

  public static boolean valid(char fieldSeparator, String encodingCharacters) {
    if (encodingCharacters == null || (encodingCharacters.length() != 4 && encodingCharacters.length() != 5)) {
      return false;
    }
    String all = fieldSeparator + encodingCharacters;
    for (int i = 0; i < all.length(); i++) {
      char c = all.charAt(i);
      if (c <= 0x20 || c >= 0x7F || Character.isLetterOrDigit(c) || all.indexOf(c) != i) {
        return false;
      }
    }
    return true;
  }
}
