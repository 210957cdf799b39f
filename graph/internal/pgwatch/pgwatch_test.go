package pgwatch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLimitsOf(t *testing.T) {
	for _, tc := range []struct {
		dsn  string
		want limits
	}{
		{"postgres://u:secret@h:5432/db?sslmode=disable&connect_timeout=3&statement_timeout=5000",
			limits{connect: 3 * time.Second, statement: 5 * time.Second, server: "postgres://u@h:5432/db"}},
		{"postgresql://h/db", limits{statement: defaultStatementTimeout, server: "postgresql://h/db"}},
		{"postgres://h/db?statement_timeout=0&connect_timeout=0", limits{server: "postgres://h/db"}},
		{"postgres://h/db?statement_timeout=10min", limits{statement: 10 * time.Minute, server: "postgres://h/db"}},
		{"host=/tmp port=5432 connect_timeout = 2 statement_timeout='1.5 s'", limits{connect: 2 * time.Second, statement: 1500 * time.Millisecond}},
		{`password='a b\' connect_timeout=9' connect_timeout=4`, limits{connect: 4 * time.Second, statement: defaultStatementTimeout}},
		{"statement_timeout=12ms", limits{statement: 12 * time.Millisecond}},
		{"statement_timeout=2h connect_timeout=x", limits{statement: 2 * time.Hour}},
		{"statement_timeout=5weeks", limits{statement: defaultStatementTimeout}},
		{"statement_timeout=-1", limits{statement: defaultStatementTimeout}},
	} {
		if got := limitsOf(tc.dsn); got != tc.want {
			t.Errorf("limitsOf(%q) = %+v, want %+v", tc.dsn, got, tc.want)
		}
	}
}

func TestIdle(t *testing.T) {
	for _, tc := range []struct{ statement, want time.Duration }{
		{0, 0},
		{time.Second, 3 * time.Second},
		{10 * time.Minute, 11 * time.Minute},
	} {
		if got := (limits{statement: tc.statement}).idle(); got != tc.want {
			t.Errorf("idle with statement_timeout %s = %s, want %s", tc.statement, got, tc.want)
		}
	}
}

// fakeServer accepts connections and never answers the first (the connection under
// test); it answers a probe's SSLRequest with 'N' while alive.
type fakeServer struct {
	l      net.Listener
	alive  bool
	mu     sync.Mutex
	conns  []net.Conn
	probes int
}

func newFakeServer(t *testing.T, alive bool) *fakeServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{l: l, alive: alive}
	go func() {
		for first := true; ; first = false {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			if !first {
				s.probes++
			}
			s.mu.Unlock()
			if !first && alive {
				go func() {
					var req [8]byte
					if _, err := io.ReadFull(c, req[:]); err == nil && string(req[:]) == string(sslRequest) {
						c.Write([]byte{'N'})
					}
				}()
			}
		}
	}()
	t.Cleanup(func() {
		l.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.conns {
			c.Close()
		}
	})
	return s
}

// TestSilentConnection: a read on a connection whose server says nothing fails with a
// StalledError saying why: the probe had no answer, or statement_timeout passed while
// the probes had answers.
func TestSilentConnection(t *testing.T) {
	for _, tc := range []struct {
		name      string
		alive     bool
		lim       limits
		wantProbe bool
		want      string
	}{
		{"frozen server", false, limits{connect: 200 * time.Millisecond, statement: time.Hour}, true, "and no answer to a new one within connect_timeout=200ms"},
		{"frozen server, no statement_timeout", false, limits{connect: 200 * time.Millisecond}, true, "and no answer to a new one within connect_timeout=200ms"},
		{"frozen connection, live server", true, limits{connect: 500 * time.Millisecond, statement: 100 * time.Millisecond}, false, "past statement_timeout=100ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer(t, tc.alive)
			c, err := dialer{tc.lim, &group{conns: map[*conn]bool{}}}.DialContext(context.Background(), "tcp", srv.l.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			done := make(chan error, 1)
			go func() {
				_, err := c.Read(make([]byte, 10))
				done <- err
			}()
			var err2 error
			select {
			case err2 = <-done:
			case <-time.After(time.Minute):
				t.Fatal("the read still waits after a minute")
			}
			var se *StalledError
			if !errors.As(err2, &se) || (se.Probe != nil) != tc.wantProbe || !strings.Contains(err2.Error(), tc.want) {
				t.Fatalf("read: %v; want a StalledError saying %q", err2, tc.want)
			}
			if !strings.HasPrefix(se.Error(), "postgres "+srv.l.Addr().String()+": the server stopped answering (") {
				t.Errorf("message %q does not name the server first", se.Error())
			}
			srv.mu.Lock()
			probes := srv.probes
			srv.mu.Unlock()
			if tc.alive && probes == 0 {
				t.Error("no probe reached the live server")
			}
			// The connection stays failed: a later write or read says the same.
			if _, err := c.Write([]byte("x")); err != se {
				t.Errorf("write after the stall: %v, want the StalledError", err)
			}
			if got := Explain(fmt.Errorf("sql query failed: %v\nquery: SELECT 1", se)); got != se {
				t.Errorf("Explain of Cayley's wrapping = %v, want the StalledError", got)
			}
		})
	}
}

func TestExplainLeavesOtherErrors(t *testing.T) {
	err := errors.New("sql query failed: pq: relation \"quads\" does not exist\nquery: SELECT 1")
	if got := Explain(err); got != err {
		t.Errorf("Explain(%v) = %v", err, got)
	}
	if Explain(nil) != nil {
		t.Error("Explain(nil) is not nil")
	}
}

// TestDeadServerFailsTheGroup: once one connection finds the server dead, another of the
// same dialer fails its next operation at once instead of waiting again.
func TestDeadServerFailsTheGroup(t *testing.T) {
	srv := newFakeServer(t, false)
	lim := limits{connect: 200 * time.Millisecond, statement: time.Hour}
	d := dialer{lim, &group{conns: map[*conn]bool{}, connect: lim.connect}}
	var conns []net.Conn
	for range 2 {
		c, err := d.DialContext(context.Background(), "tcp", srv.l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	_, err := conns[0].Read(make([]byte, 1))
	var se *StalledError
	if !errors.As(err, &se) || se.Probe == nil {
		t.Fatalf("first read: %v, want a failed probe", err)
	}
	if _, err := conns[1].Write([]byte("x")); err != se {
		t.Errorf("the other connection's write: %v, want the same StalledError", err)
	}
}
