package export

import "github.com/parley/parley/schema"

// style is how the drawing formats show a node of one type.
type style struct {
	Shape     string // Graphviz shape
	Fill      string // fill colour
	GMLShape  string // yEd's shape name in GML graphics
	MermaidL  string // Mermaid's opening and closing shape brackets
	MermaidR  string
	DOTStyles string // Graphviz style attribute
}

// styleOf returns the style of a node type.
func styleOf(typ string) style {
	switch typ {
	case schema.TypePerson:
		return style{"ellipse", "#dbe9f6", "ellipse", "(", ")", "filled"}
	case schema.TypeState:
		return style{"box", "#fff2cc", "rectangle", "[", "]", "filled"}
	case schema.TypeOrganization:
		return style{"hexagon", "#e6dcf2", "hexagon", "{{", "}}", "filled"}
	case schema.TypePlace:
		return style{"house", "#dff0d8", "triangle", "[/", `\]`, "filled"}
	case schema.TypeAsset:
		return style{"cylinder", "#f4e1cf", "rectangle3d", "[(", ")]", "filled"}
	case schema.TypePosition:
		return style{"note", "#ffffff", "roundrectangle", ">", "]", "filled"}
	case schema.TypeEvent:
		return style{"diamond", "#fde2e1", "diamond", "{", "}", "filled"}
	case schema.TypeRole:
		return style{"plaintext", "#ffffff", "rectangle", "[", "]", ""}
	case schema.TypeSource:
		return style{"folder", "#eeeeee", "rectangle", "[", "]", "filled"}
	case TypeLiteral:
		return style{"box", "#ffffff", "parallelogram", "[[", "]]", "rounded,dashed"}
	}
	return style{"ellipse", "#f2f2f2", "ellipse", "(", ")", "filled"}
}

// polarityColour is the colour of an edge of the polarity: pro green, con red, else grey.
func polarityColour(p schema.Polarity) string {
	switch p {
	case schema.Pro:
		return "#2e7d32"
	case schema.Con:
		return "#c62828"
	}
	return "#757575"
}
