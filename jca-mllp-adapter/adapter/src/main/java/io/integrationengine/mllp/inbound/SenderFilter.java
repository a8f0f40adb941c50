package io.integrationengine.mllp.inbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The allowed-senders list of a listener: addresses and CIDR blocks, IPv4 or IPv6
 * ({@code 10.1.0.0/16, 192.168.1.7, ::1}). Empty allows everyone.
 */
final class SenderFilter {

  private record Block(byte[] network, int prefixBits) {}

  private final List<Block> blocks;
  private final String description;

  private SenderFilter(List<Block> blocks, String description) {
    this.blocks = blocks;
    this.description = description;
  }

  static SenderFilter parse(String value) {
    List<Block> blocks = new ArrayList<>();
    String spec = value == null ? "" : value.strip();
    for (String entry : spec.split("[,\\s]+")) {
      if (entry.isEmpty()) {
        continue;
      }
      String[] parts = entry.split("/", 2);
      byte[] address;
      try {
        address = InetAddress.getByName(parts[0]).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("allowedSenders: '" + entry + "' is not an address or CIDR block");
      }
      int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("allowedSenders: prefix of '" + entry + "' out of range");
      }
      blocks.add(new Block(address, bits));
    }
    return new SenderFilter(List.copyOf(blocks), spec);
  }

  boolean allows(InetAddress peer) {
    if (blocks.isEmpty()) {
      return true;
    }
    byte[] address = peer.getAddress();
    for (Block block : blocks) {
      if (block.network().length == address.length && matches(block, address)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Block block, byte[] address) {
    int bits = block.prefixBits();
    for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
      if ((address[i] & mask) != (block.network()[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return description.isEmpty() ? "everyone" : description;
  }
}
