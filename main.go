// Command parley keeps a knowledge graph of political actors, their positions and the
// relations between them in a Cayley store, and answers questions about it from the shell.
package main

import (
	"os"

	"github.com/parley/parley/cmd"
)

func main() { os.Exit(cmd.Main()) }
