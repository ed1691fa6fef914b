package app.liuliang.channel;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A printable poster for one channel code: A5 at 300 dpi (1748 × 2480 px, PNG), the clinic's name,
 * the QR code, the staff member's nickname and role, the channel (and store) and one inviting line,
 * in Chinese. Needs a font with Chinese glyphs on the machine (Debian: fonts-wqy-microhei or
 * fonts-noto-cjk); without one it refuses rather than print boxes.
 */
final class PosterRenderer {

  static {
    // A server has no display; AWT must not look for one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static final int WIDTH = 1748;
  static final int HEIGHT = 2480;
  private static final List<String> PREFERRED = List.of("Noto Sans CJK SC", "Source Han Sans SC",
      "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "AR PL UMing CN", "Droid Sans Fallback");
  private static final String SAMPLE = "留量口腔扫码预约";
  private static final Color INK = new Color(0x1f, 0x2a, 0x37);
  private static final Color ACCENT = new Color(0x0f, 0x76, 0x6e);
  private static final Color MUTED = new Color(0x5b, 0x67, 0x75);

  /** What a poster says. */
  record Poster(String clinic, String person, String role, String source, String line) {
  }

  private final String family;

  PosterRenderer() {
    this.family = chineseFamily();
  }

  /** The font family used, or null when the machine has none with Chinese glyphs. */
  static String chineseFamily() {
    List<String> families = Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
    for (String preferred : PREFERRED) {
      if (families.contains(preferred)) {
        return preferred;
      }
    }
    for (String family : families) {
      if (new Font(family, Font.PLAIN, 12).canDisplayUpTo(SAMPLE) == -1) {
        return family;
      }
    }
    return null;
  }

  byte[] render(Poster poster, byte[] qrImage) {
    if (family == null) {
      throw new IllegalStateException("no font with Chinese glyphs on this machine (install fonts-wqy-microhei)");
    }
    BufferedImage page = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = page.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(ACCENT);
      g.fillRect(0, 0, WIDTH, 60);
      centered(g, poster.clinic(), 130, 300, INK, 1500);
      centered(g, poster.source(), 74, 460, ACCENT, 1500);
      BufferedImage qr = ImageIO.read(new ByteArrayInputStream(qrImage));
      if (qr == null) {
        throw new IllegalArgumentException("the stored QR image cannot be read");
      }
      int size = 1100;
      int x = (WIDTH - size) / 2;
      int y = 600;
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(qr, x, y, size, size, null);
      centered(g, poster.person(), 96, y + size + 190, INK, 1500);
      centered(g, poster.role(), 60, y + size + 300, MUTED, 1500);
      wrapped(g, poster.line(), 66, y + size + 470, INK, 1400);
      centered(g, "长按或扫一扫，添加企业微信", 48, HEIGHT - 120, MUTED, 1500);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(page, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void centered(Graphics2D g, String text, int size, int baseline, Color color, int maxWidth) {
    if (text == null || text.isEmpty()) {
      return;
    }
    Font font = new Font(family, Font.BOLD, size);
    FontMetrics metrics = g.getFontMetrics(font);
    while (metrics.stringWidth(text) > maxWidth && font.getSize() > 24) {
      font = font.deriveFont((float) font.getSize() - 4);
      metrics = g.getFontMetrics(font);
    }
    g.setFont(font);
    g.setColor(color);
    g.drawString(text, (WIDTH - metrics.stringWidth(text)) / 2, baseline);
  }

  /** Breaks a long line into rows that fit, centred (Chinese wraps between any two characters). */
  private void wrapped(Graphics2D g, String text, int size, int baseline, Color color, int maxWidth) {
    if (text == null || text.isEmpty()) {
      return;
    }
    FontMetrics metrics = g.getFontMetrics(new Font(family, Font.BOLD, size));
    StringBuilder row = new StringBuilder();
    int y = baseline;
    for (int cp : text.codePoints().toArray()) {
      String next = row + new String(Character.toChars(cp));
      if (metrics.stringWidth(next) > maxWidth && row.length() > 0) {
        centered(g, row.toString(), size, y, color, maxWidth);
        y += size * 3 / 2;
        row.setLength(0);
      }
      row.appendCodePoint(cp);
    }
    centered(g, row.toString(), size, y, color, maxWidth);
  }
}
