package dev.grizz.engine.tool;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Which addresses {@code fetch_url} may connect to: public unicast ones only. Refused are the
 * ranges that reach the engine's own host or network rather than the internet: loopback, private
 * (RFC 1918), carrier-grade NAT (100.64/10), link-local (169.254/16, where cloud metadata services
 * answer; fe80::/10), unique-local (fc00::/7), unspecified (0.0.0.0/8, ::), multicast, broadcast
 * and reserved ranges, and documentation and benchmark ranges. IPv6 forms that carry an IPv4
 * address (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4
 * address inside, so {@code ::ffff:127.0.0.1} is loopback too. A false refusal costs a user one
 * fetch; a false pass lets a model read the cloud's credentials, so unknown oddities refuse.
 */
final class PublicAddresses {

  private PublicAddresses() {}

  /** Why {@code address} may not be fetched from, in plain words, or null when it may. */
  static @Nullable String refusal(InetAddress address) {
    if (address instanceof Inet4Address v4) {
      return refusal4(v4.getAddress());
    }
    if (address instanceof Inet6Address v6) {
      return refusal6(v6.getAddress());
    }
    return "an address of an unknown kind";
  }

  private static @Nullable String refusal4(byte[] a) {
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    int b2 = a[2] & 0xff;
    if (b0 == 0) {
      return "an unspecified address (0.0.0.0/8)";
    }
    if (b0 == 127) {
      return "a loopback address";
    }
    if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
      return "a private address";
    }
    if (b0 == 100 && (b1 & 0xc0) == 64) {
      return "a carrier-grade NAT address (100.64.0.0/10)";
    }
    if (b0 == 169 && b1 == 254) {
      return "a link-local address (169.254.0.0/16, where cloud metadata services answer)";
    }
    if (b0 >= 224 && b0 <= 239) {
      return "a multicast address";
    }
    if (b0 >= 240) {
      return "a reserved or broadcast address";
    }
    if ((b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2))
        || (b0 == 198 && (b1 & 0xfe) == 18)
        || (b0 == 198 && b1 == 51 && b2 == 100)
        || (b0 == 203 && b1 == 0 && b2 == 113)) {
      return "a special-purpose address (protocol, documentation or benchmark range)";
    }
    return null;
  }

  private static @Nullable String refusal6(byte[] a) {
    if (zero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
      return embedded(a, 12, "IPv4-mapped ");
    }
    if (zero(a, 0, 12)) {
      if (zero(a, 12, 15) && (a[15] == 0 || a[15] == 1)) {
        return a[15] == 0 ? "the unspecified address (::)" : "a loopback address";
      }
      return embedded(a, 12, "IPv4-compatible ");
    }
    int first = a[0] & 0xff;
    int second = a[1] & 0xff;
    if (first == 0x00
        && second == 0x64
        && (a[2] & 0xff) == 0xff
        && (a[3] & 0xff) == 0x9b
        && zero(a, 4, 12)) {
      return embedded(a, 12, "NAT64 ");
    }
    if (first == 0x20 && second == 0x02) {
      return embedded(a, 2, "6to4 ");
    }
    if ((first & 0xfe) == 0xfc) {
      return "a unique-local address (fc00::/7)";
    }
    if (first == 0xfe && (second & 0xc0) == 0x80) {
      return "a link-local address (fe80::/10)";
    }
    if (first == 0xfe && (second & 0xc0) == 0xc0) {
      return "a site-local address (fec0::/10)";
    }
    if (first == 0xff) {
      return "a multicast address";
    }
    if (first == 0x20 && second == 0x01 && (a[2] & 0xff) == 0x0d && (a[3] & 0xff) == 0xb8) {
      return "a documentation address (2001:db8::/32)";
    }
    return null;
  }

  /** The refusal of the IPv4 address at {@code offset}, named as carried in IPv6. */
  private static @Nullable String embedded(byte[] a, int offset, String form) {
    byte[] v4 = {a[offset], a[offset + 1], a[offset + 2], a[offset + 3]};
    String refusal = refusal4(v4);
    if (refusal == null) {
      return null;
    }
    try {
      return form
          + "form of "
          + refusal
          + " ("
          + InetAddress.getByAddress(v4).getHostAddress()
          + ")";
    } catch (UnknownHostException e) {
      return form + "form of " + refusal;
    }
  }

  private static boolean zero(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
