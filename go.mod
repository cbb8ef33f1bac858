module github.com/roleplay-sim/roleplay

go 1.26

require (
	github.com/BurntSushi/toml v1.6.0 // indirect
	github.com/looplab/fsm v1.0.3 // indirect
)
