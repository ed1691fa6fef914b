package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The sandbox's 「联系我」 API: {@code add_contact_way} answers a config_id and a QR URL on the sandbox
 * itself, which serves a real QR image (PNG) as WeCom's CDN would; get, update, delete and list
 * answer like WeCom. Nothing is kept: a sandbox restart forgets its codes, as a fresh corp would.
 */
public final class ContactWayStubs {

  private ContactWayStubs() {
  }

  public static void install(WireMockServer server) {
    server.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/add_contact_way")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"config_id\":\"cw{{randomValue length=30 type='ALPHANUMERIC'}}\","
            + "\"qr_code\":\"{{request.baseUrl}}/sandbox/qr/{{randomValue length=12 type='ALPHANUMERIC'}}.png\"}")));
    server.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_contact_way")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"contact_way\":{\"config_id\":"
            + "\"{{jsonPath request.body '$.config_id'}}\",\"type\":1,\"scene\":2,\"style\":1,\"remark\":\"\","
            + "\"skip_verify\":true,\"state\":\"\",\"qr_code\":\"{{request.baseUrl}}/sandbox/qr/"
            + "{{jsonPath request.body '$.config_id'}}.png\",\"user\":[],\"party\":[]}}")));
    server.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/list_contact_way")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"contact_way\":[],\"next_cursor\":\"\"}")));
    server.stubFor(get(urlPathMatching("/sandbox/qr/.*\\.png")).atPriority(5)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/png").withBody(qrPng())));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body)
        .withTransformers("response-template");
  }

  /** A QR code (430 px, like WeCom's) that says what it is. */
  public static byte[] qrPng() {
    try {
      BitMatrix matrix = new QRCodeWriter().encode("https://work.weixin.qq.com/ca/liuliang-sandbox", BarcodeFormat.QR_CODE,
          430, 430);
      BufferedImage image = new BufferedImage(matrix.getWidth(), matrix.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
      for (int y = 0; y < matrix.getHeight(); y++) {
        for (int x = 0; x < matrix.getWidth(); x++) {
          image.setRGB(x, y, matrix.get(x, y) ? 0x000000 : 0xffffff);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (WriterException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
