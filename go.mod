module github.com/roleplay-sim/roleplay

go 1.26
