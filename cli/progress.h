// File: cli/progress.h
//
// How `endgame stress` and `endgame compare` show a campaign's progress
// (stress::CampaignOptions::on_progress): on a terminal, one line rewritten in
// place every second; otherwise one line every 10 seconds.
#ifndef ENDGAME_CLI_PROGRESS_H_
#define ENDGAME_CLI_PROGRESS_H_

#include "stress/campaign.h"

namespace endgame::cli {

// Sets o->on_progress, and o->on_error: a finding that could not be stored,
// as an "endgame stress: ..." line on stderr (compare's campaign too).
void ShowProgress(stress::CampaignOptions* o);

// Ends the progress line after RunCampaign() returns.
void EndProgress();

}  // namespace endgame::cli

#endif  // ENDGAME_CLI_PROGRESS_H_
