package app.liuliang.channel;

import app.liuliang.wecom.WeComApiException;

/** WeCom's refusals of a channel code, said so that a clinic's operator knows what to do. */
final class OperatorMessages {

  private OperatorMessages() {
  }

  static String forCode(WeComApiException e) {
    int errcode = e.errcode();
    String what = switch (errcode) {
      case 84074 -> "应用没有「客户联系」权限：请在企业微信管理后台 → 客户联系 → API，把本应用加入「可调用接口的应用」";
      case 48002 -> "应用没有调用该接口的权限：请在管理后台为本应用开通客户联系接口";
      case 60020 -> "服务器 IP 不在本应用的「企业可信 IP」里：请在管理后台添加服务器的出口 IP";
      case 60111 -> "码后面的员工在企业微信里不存在：请检查 channels.yaml 里的 accounts（企业微信账号）";
      case 45009, 45033, -1 -> "企业微信繁忙或调用超限：下次同步时自动重试";
      default -> errcode == WeComApiException.NO_ERRCODE
          ? "连不上企业微信（网络或超时）：下次同步时自动重试"
          : "企业微信拒绝了请求：请查看日志，修改后运行 liuliang channels sync";
    };
    return (errcode == WeComApiException.NO_ERRCODE ? "" : "errcode " + errcode + "：") + what;
  }
}
