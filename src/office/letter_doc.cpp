// Placeholder until the renderer lands: the magic bytes only, so callers can be wired and tested.
#include "office/letter_doc.h"

namespace steward::office {
std::string renderLetterPdf(const LetterDocument& doc) { return "%PDF-1.7\n% " + doc.title + "\n%%EOF\n"; }
std::string renderLetterDocx(const LetterDocument& doc) { return std::string("PK\x03\x04", 4) + doc.title; }
}  // namespace steward::office
