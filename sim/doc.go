// Package sim is the simulator's domain and engine, with no I/O: the acts a
// trainee's sentence can do (one table, act.go), the compiled Scenario and
// its loader, the Conversation that steps a persona's state machine one
// turn at a time, the Report a grader fills, and the records a store keeps
// (Call, TurnRecord, ScenarioVersion, the store interfaces and Error).
//
// Like raft's core it reads no clock, draws no global randomness and
// touches no file or socket: turns come in as text (Say, read by the Reader
// the conversation was given) or as recorded acts (Play, Replay), time
// comes in as values (a turn's time, TimeUp), and what happened comes back
// as a Turn. Same scenario, same turns: same results, byte for byte.
//
// The jobs around it live in subpackages: sim/classify reads sentences as
// acts, sim/grade scores a call, sim/script runs golden transcripts and
// calibration bots; sim/server (HTTP and websocket) and sim/inmem (a store)
// are adapters, the only ones that do I/O.
package sim
