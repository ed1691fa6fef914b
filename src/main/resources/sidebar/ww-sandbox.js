// The sandbox's stand-in for WeCom's JS-SDK, which works only inside the WeCom client: the chat is
// the one the address names (/sidebar?contact=<external_userid> or ?chat=<chat_id>), and
// sendChatMessage shows what would have been put into the chat instead of sending it.
(function () {
  'use strict';
  var query = new URLSearchParams(location.search);
  var contact = query.get('contact');
  var chat = query.get('chat');
  window.ww = {
    SDK_VERSION: 'sandbox',
    register: function () { },
    getContext: function () {
      return Promise.resolve({ entry: contact ? 'single_chat_tools' : chat ? 'group_chat_tools' : 'normal' });
    },
    getCurExternalContact: function () { return Promise.resolve({ userId: contact }); },
    getCurExternalChat: function () { return Promise.resolve({ chatId: chat }); },
    sendChatMessage: function (message) {
      window.alert('沙箱：这段话会放进聊天输入框（未真正发送）\n\n' + message.text.content);
      return Promise.resolve({ errMsg: 'sendChatMessage:ok' });
    }
  };
}());
