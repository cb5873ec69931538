// Notification channels, shared by the decision models and the
// personalization layer.
//
//   absl::StatusOr<Channel> c = ParseChannel("push");
//   std::string_view name = ChannelName(Channel::kSms);  // "sms"
#ifndef TAILOR_MODELS_DECIDE_CHANNEL_H_
#define TAILOR_MODELS_DECIDE_CHANNEL_H_

#include <array>
#include <string_view>

#include "absl/status/statusor.h"

namespace tailor::decide {

enum class Channel { kEmail, kSms, kPush, kInApp };

inline constexpr std::array<Channel, 4> kAllChannels = {Channel::kEmail, Channel::kSms,
                                                        Channel::kPush, Channel::kInApp};

// "email", "sms", "push", "in_app".
std::string_view ChannelName(Channel channel);

// Inverse of ChannelName; InvalidArgument for anything else.
absl::StatusOr<Channel> ParseChannel(std::string_view name);

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_CHANNEL_H_
