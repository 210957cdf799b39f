package pgwatch

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// limits are how long a connection to one address waits for its server.
type limits struct {
	// connect is connect_timeout: how long a silence lasts before a probe checks that the
	// server still answers, and how long the probe waits for its answer; 0 (the address
	// lifted connect_timeout) means no probes, since a probe is a new connection.
	connect time.Duration
	// statement is statement_timeout: the longest a server that works is silent on a
	// connection; 0 (lifted) means no such bound.
	statement time.Duration
	// server names the server in messages: the URL without password and parameters, or
	// "" for a key=value address (then the address dialed).
	server string
}

// idleMargin is the least a connection waits past statement_timeout before calling its
// server dead: the server cancels a statement at statement_timeout and then has to say
// so, which takes it a moment when the statement was in code that checks for a cancel
// only now and then. A tenth of statement_timeout is added when it is longer.
const idleMargin = 2 * time.Second

// defaultStatementTimeout is what the server applies when an address does not say, as
// far as parley knows: parley adds 10 minutes to every address that does not set it.
const defaultStatementTimeout = 10 * time.Minute

// idle returns the longest one read or write may wait, or 0 for no bound.
func (l limits) idle() time.Duration {
	if l.statement <= 0 {
		return 0
	}
	return l.statement + max(idleMargin, l.statement/10)
}

// limitsOf reads connect_timeout and statement_timeout from an address, as lib/pq and
// the server read them: URL parameters or key=value pairs. A value the server would
// refuse leaves the default, since then no connection gets far enough to wait.
func limitsOf(dsn string) limits {
	var params map[string]string
	var server string
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			params = map[string]string{}
			for k, v := range u.Query() {
				params[k] = v[0]
			}
			if u.User != nil {
				u.User = url.User(u.User.Username())
			}
			u.RawQuery, u.Fragment = "", ""
			server = u.String()
		}
	} else {
		params = keyValues(dsn)
	}
	l := limits{statement: defaultStatementTimeout, server: server}
	if v, ok := params["connect_timeout"]; ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			l.connect = time.Duration(n) * time.Second
		}
	}
	if v, ok := params["statement_timeout"]; ok {
		if d, ok := pgDuration(v); ok {
			l.statement = d
		}
	}
	return l
}

// keyValues parses a libpq key=value address: spaces around '=' allowed, values in
// single quotes with backslash escapes.
func keyValues(dsn string) map[string]string {
	out := map[string]string{}
	r := []rune(dsn)
	i := 0
	skip := func() {
		for i < len(r) && unicode.IsSpace(r[i]) {
			i++
		}
	}
	for {
		skip()
		if i >= len(r) {
			return out
		}
		start := i
		for i < len(r) && r[i] != '=' && !unicode.IsSpace(r[i]) {
			i++
		}
		key := string(r[start:i])
		skip()
		if i >= len(r) || r[i] != '=' {
			return out // lib/pq refuses the address
		}
		i++
		skip()
		var val []rune
		if i < len(r) && r[i] == '\'' {
			for i++; i < len(r) && r[i] != '\''; i++ {
				if r[i] == '\\' && i+1 < len(r) {
					i++
				}
				val = append(val, r[i])
			}
			i++
		} else {
			for ; i < len(r) && !unicode.IsSpace(r[i]); i++ {
				if r[i] == '\\' && i+1 < len(r) {
					i++
				}
				val = append(val, r[i])
			}
		}
		out[key] = string(val)
	}
}

// pgDuration parses a PostgreSQL time setting in milliseconds by default: "600000",
// "10min", "1.5 s".
func pgDuration(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	end := strings.IndexFunc(v, func(r rune) bool { return !(unicode.IsDigit(r) || r == '.' || r == '-' || r == '+') })
	num, unit := v, ""
	if end >= 0 {
		num, unit = v[:end], strings.TrimSpace(v[end:])
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	units := map[string]time.Duration{"": time.Millisecond, "us": time.Microsecond, "ms": time.Millisecond,
		"s": time.Second, "min": time.Minute, "h": time.Hour, "d": 24 * time.Hour}
	u, ok := units[unit]
	if !ok {
		return 0, false
	}
	return time.Duration(n * float64(u)), true
}
