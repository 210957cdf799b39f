package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// toolsCheck is the Python that loads the exports with the tools analysts use. Its
// arguments: the directory of the files, the number of nodes, edges and quads each must
// hold. It prints one line per check and exits 1 on the first that fails.
const toolsCheck = `
import sys, warnings
warnings.simplefilter("ignore")
d, nodes, edges, quads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def check(what, got, want):
    print(what, got, "want", want)
    if got != want:
        sys.exit(1)
import networkx as nx
g = nx.read_gml(d + "/g.gml", label="id")
check("networkx gml multigraph", g.is_multigraph() and g.is_directed(), True)
check("networkx gml nodes", g.number_of_nodes(), nodes)
check("networkx gml edges", g.number_of_edges(), edges)
g = nx.read_graphml(d + "/g.graphml")
check("networkx graphml nodes", g.number_of_nodes(), nodes)
check("networkx graphml edges", g.number_of_edges(), edges)
rows = [dict(source=u, target=v, **a) for u, v, a in g.edges(data=True)]
check("networkx graphml: no edge attribute named source", any("source" in a for _, _, a in g.edges(data=True)), False)
check("networkx graphml: the document is an attribute", all(r["source"] in g and ("document" in r or "claim" not in r) for r in rows), True)
import igraph
h = igraph.Graph.Read_GML(d + "/g.gml")
check("igraph gml nodes", h.vcount(), nodes)
check("igraph gml edges", h.ecount(), edges)
text = [str(v) for v in h.vs["label"]] + [str(x) for x in (h.es["evidence"] if "evidence" in h.es.attributes() else [])]
check("igraph gml: no entity left undecoded", [t for t in text if "&#" in t or "&quot;" in t or "&amp;" in t][:1], [])
h = igraph.Graph.Read_GraphML(d + "/g.graphml")
check("igraph graphml nodes", h.vcount(), nodes)
check("igraph graphml edges", h.ecount(), edges)
import rdflib
ds = rdflib.Dataset()
ds.parse(d + "/g.nq", format="nquads")
check("rdflib nquads quads", len(list(ds.quads((None, None, None, None)))), quads)
ds = rdflib.Dataset()
ds.parse(d + "/g.jsonld", format="json-ld")
check("rdflib json-ld quads", len(list(ds.quads((None, None, None, None)))), quads)
`

// python finds a Python 3 that imports every module, or says why not.
func python(modules ...string) (string, string) {
	imp := "import " + strings.Join(modules, ", ")
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", imp).Run() == nil {
			return p, ""
		}
	}
	return "", "no python3 here imports " + strings.Join(modules, ", ") + " (Debian: apt-get install python3-networkx python3-igraph python3-rdflib)"
}

// TestToolsLoadExports loads the GML, GraphML, N-Quads and JSON-LD exports of every
// fixture with NetworkX, igraph and rdflib, where they are installed (.ci/run installs
// them): every node, edge and quad arrives; GML is a multigraph whose text igraph shows
// without entities; GraphML's claim document is no "source"; rdflib takes the default
// N-Quads (absolute IRIs) and the JSON-LD.
func TestToolsLoadExports(t *testing.T) {
	py, why := python("networkx", "igraph", "rdflib")
	if py == "" && os.Getenv("PARLEY_REQUIRE_TOOLS") != "" {
		t.Fatal(why)
	}
	if py == "" {
		t.Skip(why)
	}
	for _, fx := range fixtures(t) {
		if fx.name == "hostile" {
			continue // its IRIs are not all absolute, as rdflib needs; the seed's are
		}
		t.Run(fx.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, ext := range map[string]string{GML: "gml", GraphML: "graphml", NQuads: "nq", JSONLD: "jsonld"} {
				if err := os.WriteFile(filepath.Join(dir, "g."+ext), write(t, name, fx.g, Options{}), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(py, "-c", toolsCheck, dir, strconv.Itoa(NodeCount(fx.g)), strconv.Itoa(len(fx.g.Facts)), strconv.Itoa(len(fx.g.Quads)))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			t.Logf("%s", out)
		})
	}
}
