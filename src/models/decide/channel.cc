#include "models/decide/channel.h"

#include "common/strings.h"

namespace tailor::decide {

std::string_view ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kEmail: return "email";
    case Channel::kSms: return "sms";
    case Channel::kPush: return "push";
    case Channel::kInApp: return "in_app";
  }
  return "unknown";
}

absl::StatusOr<Channel> ParseChannel(std::string_view name) {
  for (Channel c : kAllChannels) {
    if (ChannelName(c) == name) return c;
  }
  return absl::InvalidArgumentError(
      StrCat("unknown channel '", name, "' (expected email, sms, push or in_app)"));
}

}  // namespace tailor::decide
