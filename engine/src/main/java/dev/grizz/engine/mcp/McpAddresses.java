package dev.grizz.engine.mcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The fetch rule for servers users add: http(s) only, and no address on this machine or its private
 * networks (loopback, private, link-local, carrier-grade NAT, unique-local IPv6, the unspecified
 * and multicast addresses), unless the operator allows them. Checked when a server is added and
 * again before each connection, since a name can resolve elsewhere later; a name that changes
 * between the check and the connection (DNS rebinding within seconds) is not caught.
 */
final class McpAddresses {

  private McpAddresses() {}

  /** Why {@code url} may not be used, or null when it may; resolves the host's name. */
  static String refusal(URI url, boolean allowPrivate) {
    if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
      return "The url must start with http:// or https://.";
    }
    if (url.getHost() == null || url.getHost().isBlank()) {
      return "The url has no host.";
    }
    if (url.getUserInfo() != null) {
      return "The url must not hold a user name or password; send credentials as a header.";
    }
    if (allowPrivate) {
      return null;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(url.getHost());
    } catch (UnknownHostException e) {
      // Not refused: nothing is reachable there now, and the rule runs again on each connection.
      return null;
    }
    for (InetAddress address : addresses) {
      if (isPrivate(address)) {
        return "The url's host is a loopback or private address, which servers added by users may"
            + " not use.";
      }
    }
    return null;
  }

  static boolean isPrivate(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || first == 100 && second >= 64 && second <= 127;
    }
    if (address instanceof Inet6Address) {
      // fc00::/7 unique-local; ::ffff:a.b.c.d mapped IPv4 is checked as IPv4
      if ((b[0] & 0xfe) == 0xfc) {
        return true;
      }
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return isPrivate(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
