// Package seed holds parley's seed data: the quads drawn from the seed article, embedded in the binary.
package seed

import _ "embed"

//go:embed article.nq
var quads []byte

//go:embed article.txt
var article string

// Name is the file name the seed loads under, for FILE:LINE messages.
const Name = "seed/article.nq"

// Quads returns the seed as N-Quads.
func Quads() []byte { return quads }

// Article returns the text of the seed article.
func Article() string { return article }
