package sim

// Engine names the rules of this build that turn a scenario and a call's
// recorded acts into the customer's replies and the grade: the conversation
// engine here and the grader in sim/grade. Every report says which engine
// made it, so a re-grade on a later build that changed the rules says so
// instead of silently disagreeing with the stored grade.
//
// It changes whenever those rules change: sim/grade's TestEngineFingerprint
// replays a fixed set of recorded calls and fails when their replies or
// grades differ from the ones recorded for this name.
const Engine = "2026-12-01.1"
