package document
import ("testing";"os";"path/filepath";"time";"strconv";"strings")
func TestSlowCorpus(t *testing.T){
 dir := os.Getenv("CORPUS")
 files, _ := filepath.Glob(filepath.Join(dir, "*"))
 for _, f := range files {
  b, _ := os.ReadFile(f)
  lines := strings.Split(string(b), "\n")
  data, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")"))
  if err != nil { t.Log(f, err); continue }
  for _, n := range []string{"p.json","p.yaml","-"} {
   s := time.Now(); d, err := Parse(n, []byte(data), Limits{MaxNodes: 10_000})
   if d != nil { d.Position("/a") }
   if el := time.Since(s); el > 50*time.Millisecond { t.Logf("%s %s %v %d bytes err=%v", filepath.Base(f), n, el, len(data), err) }
  }
 }
}

func FuzzWatch(f *testing.F) {
	for _, s := range []string{planJSON, planYAML, lolBomb, "a: &x [*x]\n", "a: 1\n---\nb: 2\n"} {
		f.Add("p.json", []byte(s))
		f.Add("p.yaml", []byte(s))
	}
	for _, tt := range errorCases {
		if len(tt.data) < 4096 {
			f.Add(tt.file, []byte(tt.data))
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		name = []string{"p.json", "p.yaml", "-"}[len(name)%3]
		done := make(chan bool)
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				os.WriteFile("/tmp/slow-"+strconv.Itoa(os.Getpid())+"-"+name, data, 0o644)
				panic("slow input")
			}
		}()
		d, _ := Parse(name, data, Limits{MaxNodes: 10_000})
		if d != nil {
			d.Position("/a")
		}
		close(done)
	})
}
