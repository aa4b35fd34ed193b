// `steward demo`: a believable county shaped like Hengdong (衡东县): headquarters, 26 responsible units,
// 20 approval departments, county leaders, a user for every role, and a project library.
#pragma once
#include <ostream>
#include <string>

#include "service/context.h"

namespace steward::service {

inline constexpr const char* kDemoPassword = "Steward@2026";
bool databaseIsEmpty(const Env& env);
void loadDemo(const Env& env, std::ostream& log);
std::string demoLoginsText();

}  // namespace steward::service
