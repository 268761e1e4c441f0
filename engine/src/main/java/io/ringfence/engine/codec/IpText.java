package io.ringfence.engine.codec;

/**
 * Checks that text looks like an IPv4 or IPv6 address, by syntax alone (never a DNS lookup).
 *
 * <ul>
 *   <li>IPv4: four dotted decimal parts 0-255, no leading zeros ({@code 010.1.2.3} is refused:
 *       some systems read it as octal).</li>
 *   <li>IPv6: RFC 4291 text: up to eight groups of 1-4 hex digits, at most one {@code ::}, an
 *       optional dotted IPv4 tail ({@code ::ffff:10.1.2.3}); no zone id ({@code %eth0}).</li>
 * </ul>
 * The text is kept as given (no normalisation), so outputs repeat the caller's spelling.
 */
final class IpText {
    static final int MAX_LENGTH = 45;

    private IpText() {
    }

    static boolean isValid(final CharSequence s) {
        final int n = s.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) == ':') {
                return isIpv6(s, n);
            }
        }
        return isIpv4(s, 0, n);
    }

    static boolean isIpv4(final CharSequence s, final int from, final int to) {
        int parts = 0;
        int i = from;
        while (true) {
            final int start = i;
            int value = 0;
            while (i < to && isDigit(s.charAt(i)) && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            final int length = i - start;
            if (length == 0 || value > 255 || (length > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    private static boolean isIpv6(final CharSequence s, final int n) {
        int groups = 0;
        boolean compressed = false;
        int i = 0;
        if (s.charAt(0) == ':') {
            if (n < 2 || s.charAt(1) != ':') {
                return false;
            }
            compressed = true;
            i = 2;
        }
        while (i < n) {
            final int start = i;
            while (i < n && isHex(s.charAt(i)) && i - start < 5) {
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                if (!isIpv4(s, start, n)) {
                    return false;
                }
                groups += 2;
                break;
            }
            final int length = i - start;
            if (length == 0 || length > 4) {
                return false;
            }
            groups++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i == n) {
                return false;
            }
            if (s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(final char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
