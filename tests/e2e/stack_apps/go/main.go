// A sample for devenv's stack tests: each request appends to a Redis list, then reads its length.
// It speaks Redis's protocol (RESP) itself, because no Go module proxy is reachable from the tests.
package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
)

const greeting = "hello"

// command sends one Redis command and returns its integer reply.
func command(addr string, args ...string) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	fmt.Fprintf(conn, "*%d\r\n", len(args))
	for _, arg := range args {
		fmt.Fprintf(conn, "$%d\r\n%s\r\n", len(arg), arg)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return 0, err
	}
	if !strings.HasPrefix(line, ":") {
		return 0, fmt.Errorf("redis: %s", strings.TrimSpace(line))
	}
	return strconv.Atoi(strings.TrimSpace(line[1:]))
}

func main() {
	redisURL, err := url.Parse(os.Getenv("REDIS_URL"))
	if err != nil {
		panic(err)
	}
	addr := redisURL.Host
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		visits, err := command(addr, "RPUSH", "visits", "1")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s from go: visits=%d", greeting, visits)
	})
	panic(http.ListenAndServe("0.0.0.0:"+os.Getenv("PORT"), nil))
}
