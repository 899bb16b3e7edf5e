package helm

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the chart README's values table from values.yaml")

const (
	tableStart = "<!-- values table: generated from values.yaml by `go test -run TestReadmeValuesTable -update` in tests/helm -->"
	tableEnd   = "<!-- end of values table -->"
)

// valuesTable is the README's table, one row per documented key of values.yaml with its default
// and the `# --` comment above it. A documented mapping whose keys have no comment of their own
// is one row; an `enabled` key without one shares its parent's.
func valuesTable(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var rows []string
	row := func(name string, value *yamlv3.Node, description string) {
		flow(value)
		shown, err := yamlv3.Marshal(value)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, fmt.Sprintf("| `%s` | `%s` | %s |", name, strings.TrimSpace(string(shown)), description))
	}
	var walk func(node *yamlv3.Node, path, parent string)
	walk = func(node *yamlv3.Node, path, parent string) {
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := node.Content[i], node.Content[i+1]
			name := strings.TrimPrefix(path+"."+key.Value, ".")
			description := comment(key.HeadComment)
			if description == "" && key.Value == "enabled" {
				description = parent
			}
			switch {
			case value.Kind == yamlv3.MappingNode && len(value.Content) > 0 && (description == "" || documented(value)):
				walk(value, name, description)
			case description == "":
				t.Errorf("values.yaml: %s has no `# --` comment", name)
			default:
				row(name, value, description)
			}
		}
	}
	walk(doc.Content[0], "", "")
	return strings.Join(append([]string{tableStart, "| key | default | meaning |", "|---|---|---|"},
		append(rows, tableEnd)...), "\n")
}

// documented: some key under the mapping has a `# --` comment of its own.
func documented(node *yamlv3.Node) bool {
	for i := 0; i+1 < len(node.Content); i += 2 {
		if comment(node.Content[i].HeadComment) != "" || documented(node.Content[i+1]) {
			return true
		}
	}
	return false
}

// flow shows a mapping or a list on one line.
func flow(node *yamlv3.Node) {
	node.Style |= yamlv3.FlowStyle
	for _, child := range node.Content {
		flow(child)
	}
}

// comment turns a `# -- text` block (and the `#` lines that continue it) into one line.
func comment(head string) string {
	var lines []string
	documented := false
	for _, line := range strings.Split(head, "\n") {
		line = strings.TrimSpace(line)
		if text, ok := strings.CutPrefix(line, "# -- "); ok {
			documented, lines = true, []string{text}
		} else if text, ok := strings.CutPrefix(line, "# "); ok && documented {
			lines = append(lines, text)
		} else {
			documented = false
		}
	}
	return strings.ReplaceAll(strings.Join(lines, " "), "|", `\|`)
}

func TestReadmeValuesTable(t *testing.T) {
	path := filepath.Join(chartDir, "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start, end := strings.Index(readme, tableStart), strings.Index(readme, tableEnd)
	if start < 0 || end < start {
		t.Fatalf("%s has no values table between %q and %q", path, tableStart, tableEnd)
	}
	fresh := readme[:start] + valuesTable(t) + readme[end+len(tableEnd):]
	if fresh == readme {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(fresh), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s's values table is not what values.yaml says: run `go test -run TestReadmeValuesTable -update` in tests/helm", path)
}
