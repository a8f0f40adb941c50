package io.integrationengine.mllp.framing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MllpFrameDecoderTest {

  private static final String A = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1||123\r";
  private static final String B = "MSH|^~\\&|A|B|C|D|20240101||ADT^A08|2|P|2.5\r";

  @Test
  void oneFrameInOneRead() {
    MllpFrameDecoder decoder = new MllpFrameDecoder(1024);
    byte[] framed = MllpFrameDecoder.frame(bytes(A));
    assertThat(payloads(decoder.feed(framed, 0, framed.length))).containsExactly(A);
    assertThat(decoder.inFrame()).isFalse();
  }

  @Test
  void framesSplitAnywhereAndConcatenatedWithGarbageComeOutInOrder() {
    Random random = new Random(42);
    for (int round = 0; round < 500; round++) {
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      List<String> expected = new ArrayList<>();
      int garbage = 0;
      for (int i = 0; i < 1 + random.nextInt(5); i++) {
        byte[] junk = new byte[random.nextInt(4)];
        for (int j = 0; j < junk.length; j++) {
          junk[j] = (byte) ('a' + random.nextInt(26));
        }
        garbage += junk.length;
        stream.writeBytes(junk);
        String message = random.nextBoolean() ? A : B + "NTE|" + i + "\r";
        expected.add(message);
        stream.writeBytes(MllpFrameDecoder.frame(bytes(message)));
      }
      byte[] all = stream.toByteArray();
      MllpFrameDecoder decoder = new MllpFrameDecoder(1024);
      List<String> actual = new ArrayList<>();
      int offset = 0;
      while (offset < all.length) {
        int chunk = Math.min(all.length - offset, 1 + random.nextInt(20));
        actual.addAll(payloads(decoder.feed(all, offset, chunk)));
        offset += chunk;
      }
      assertThat(actual).as("round %d", round).isEqualTo(expected);
      assertThat(decoder.discardedBytes()).isEqualTo(garbage);
    }
  }

  @Test
  void aLoneEndBlockStillEndsTheFrame() {
    MllpFrameDecoder decoder = new MllpFrameDecoder(1024);
    byte[] data = concat(new byte[] {0x0B}, bytes(A), new byte[] {0x1C}, MllpFrameDecoder.frame(bytes(B)));
    assertThat(payloads(decoder.feed(data, 0, data.length))).containsExactly(A, B);
  }

  @Test
  void aNewStartBlockAbandonsTheUnfinishedFrame() {
    MllpFrameDecoder decoder = new MllpFrameDecoder(1024);
    byte[] data = concat(new byte[] {0x0B}, bytes("MSH|partial"), MllpFrameDecoder.frame(bytes(B)));
    assertThat(payloads(decoder.feed(data, 0, data.length))).containsExactly(B);
    assertThat(decoder.discardedBytes()).isEqualTo("MSH|partial".length() + 1);
  }

  @Test
  void anOversizedFrameIsReportedOnceWithItsHead() {
    MllpFrameDecoder decoder = new MllpFrameDecoder(64);
    String big = A + "X".repeat(500);
    byte[] data = concat(MllpFrameDecoder.frame(bytes(big)), MllpFrameDecoder.frame(bytes(B)));
    List<MllpFrameDecoder.Result> results = decoder.feed(data, 0, data.length);
    assertThat(results).hasSize(2);
    assertThat(results.get(0)).isInstanceOf(MllpFrameDecoder.Oversized.class);
    assertThat(new String(((MllpFrameDecoder.Oversized) results.get(0)).prefix(), StandardCharsets.US_ASCII)).startsWith("MSH|^~\\&|A|B");
    assertThat(payloads(results.subList(1, 2))).containsExactly(B);
  }

  @Test
  void aFrameOfExactlyTheLimitPassesAndOneByteMoreDoesNotHoweverTheReadsSplitIt() {
    for (int chunk : new int[] {1, 7, 64, 65, 1000}) {
      MllpFrameDecoder decoder = new MllpFrameDecoder(64);
      String fits = "M".repeat(64);
      String tooLong = "N".repeat(65);
      byte[] data = concat(MllpFrameDecoder.frame(bytes(fits)), MllpFrameDecoder.frame(bytes(tooLong)), MllpFrameDecoder.frame(bytes(B)));
      List<MllpFrameDecoder.Result> results = new ArrayList<>();
      for (int offset = 0; offset < data.length; offset += chunk) {
        results.addAll(decoder.feed(data, offset, Math.min(chunk, data.length - offset)));
      }
      assertThat(results).as("reads of %d bytes", chunk).hasSize(3);
      assertThat(payloads(results.subList(0, 1))).containsExactly(fits);
      assertThat(results.get(1)).isInstanceOf(MllpFrameDecoder.Oversized.class);
      assertThat(((MllpFrameDecoder.Oversized) results.get(1)).prefix()).hasSize(64);
      assertThat(payloads(results.subList(2, 3))).containsExactly(B);
    }
  }

  @Test
  void disconnectMidFrameLeavesTheDecoderInAFrame() {
    MllpFrameDecoder decoder = new MllpFrameDecoder(1024);
    byte[] data = concat(new byte[] {0x0B}, bytes("MSH|"));
    assertThat(decoder.feed(data, 0, data.length)).isEmpty();
    assertThat(decoder.inFrame()).isTrue();
  }

  private static List<String> payloads(List<MllpFrameDecoder.Result> results) {
    List<String> out = new ArrayList<>();
    for (MllpFrameDecoder.Result r : results) {
      assertThat(r).isInstanceOf(MllpFrameDecoder.Frame.class);
      out.add(new String(((MllpFrameDecoder.Frame) r).payload(), StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
