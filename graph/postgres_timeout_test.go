package graph

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWithPostgresDefaults(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u@127.0.0.1:5432/db?sslmode=disable", "postgres://u@127.0.0.1:5432/db?connect_timeout=10&sslmode=disable&statement_timeout=600000"},
		{"postgres://u@h/db?connect_timeout=2&statement_timeout=0", "postgres://u@h/db?connect_timeout=2&statement_timeout=0"},
		{"host=/tmp port=5432 user=u dbname=db sslmode=disable", "host=/tmp port=5432 user=u dbname=db sslmode=disable connect_timeout=10 statement_timeout=600000"},
		{"host=h connect_timeout = 3", "host=h connect_timeout = 3 statement_timeout=600000"},
	} {
		if got := withPostgresDefaults(tc.in); got != tc.want {
			t.Errorf("withPostgresDefaults(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPostgresSilentServer: a server that accepts connections and never answers (a frozen
// PostgreSQL) makes opening fail after connect_timeout with a clear error, not hang.
func TestPostgresSilentServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	defer func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	addr := "postgres://parley@" + l.Addr().String() + "/parley?sslmode=disable&connect_timeout=1"
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		s, _, err := Open(context.Background(), Config{Backend: BackendPostgres, Address: addr})
		if err == nil {
			s.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "the server does not answer") || !strings.Contains(err.Error(), "connect_timeout") {
			t.Errorf("open: %v; want an error saying the server does not answer", err)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("open gave up after %s, want about 1s", took)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("open hangs on a server that never answers")
	}
}
