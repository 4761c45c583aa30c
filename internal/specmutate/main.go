// Command specmutate writes a copy of the spec with the kinds of change a
// newer Kalshi spec may plausibly bring, for CI to check that
// `go generate ./...` still succeeds and that the result builds and passes
// the tests:
//
//   - a new list operation with a path parameter, its own cursor names
//     (page_token in, next_page_token out) and an inline response schema
//     whose list items are inline objects;
//   - a new operation with an inline request body and two 2xx answers,
//     each an inline schema;
//   - a new operation whose success answer has no body;
//   - a new tag that is declared and one that is not.
//
// Everything else in the spec is kept as it is.
//
//	go run ./internal/specmutate -in openapi.yaml -out /tmp/mutated/openapi.yaml
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"
)

// The added paths. The signed operation uses the same security
// requirement as Kalshi's signed operations.
const addedPaths = `
/widgets/shelves/{shelf_id}/widgets:
  get:
    operationId: GetShelfWidgets
    summary: List the widgets on a shelf
    description: A list operation that pages with its own cursor names.
    tags: [widgets]
    security: []
    parameters:
      - {name: shelf_id, in: path, required: true, schema: {type: string}}
      - {name: page_token, in: query, required: false, schema: {type: string}}
      - {name: limit, in: query, required: false, schema: {type: integer, format: int64}}
    responses:
      '200':
        description: A page of widgets.
        content:
          application/json:
            schema:
              type: object
              required: [widgets]
              properties:
                widgets:
                  type: array
                  items:
                    type: object
                    required: [widget_id]
                    properties:
                      widget_id: {type: string}
                      price_dollars: {type: string}
                      created_time: {type: string, format: date-time}
                next_page_token: {type: string}
      '400': {description: Bad request.}
/widgets:
  post:
    operationId: CreateWidget
    summary: Create a widget
    description: An inline request body, and two success answers.
    tags: [widgets]
    security:
      - kalshiAccessKey: []
        kalshiAccessSignature: []
        kalshiAccessTimestamp: []
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [name]
            properties:
              name: {type: string}
              size: {type: integer}
    responses:
      '201':
        description: Created.
        content:
          application/json:
            schema:
              type: object
              properties:
                widget_id: {type: string}
      '202':
        description: Accepted for later.
        content:
          application/json:
            schema:
              type: object
              properties:
                job_id: {type: string}
/widgets/{widget_id}:
  delete:
    operationId: DeleteWidget
    summary: Delete a widget
    tags: [widgets-admin]
    security:
      - kalshiAccessKey: []
        kalshiAccessSignature: []
        kalshiAccessTimestamp: []
    parameters:
      - {name: widget_id, in: path, required: true, schema: {type: string}}
    responses:
      '204': {description: Deleted.}
`

const addedTag = `{name: widgets, description: Widgets, a kind of resource the spec did not have.}`

func main() {
	in := flag.String("in", "openapi.yaml", "the spec to start from")
	out := flag.String("out", "", "where to write the changed copy")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "specmutate:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if out == "" {
		return errors.New("-out is required")
	}
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	mutated, err := mutate(src)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, mutated, 0o644)
}

func mutate(src []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not an OpenAPI document")
	}
	root := doc.Content[0]
	paths := mapValue(root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return nil, errors.New("no paths")
	}
	var added yaml.Node
	if err := yaml.Unmarshal([]byte(addedPaths), &added); err != nil {
		return nil, fmt.Errorf("the added paths: %w", err)
	}
	for i := 0; i < len(added.Content[0].Content); i += 2 {
		if mapValue(paths, added.Content[0].Content[i].Value) != nil {
			return nil, fmt.Errorf("the spec already has %s", added.Content[0].Content[i].Value)
		}
	}
	paths.Content = append(paths.Content, added.Content[0].Content...)
	if tags := mapValue(root, "tags"); tags != nil && tags.Kind == yaml.SequenceNode {
		var tag yaml.Node
		if err := yaml.Unmarshal([]byte(addedTag), &tag); err != nil {
			return nil, err
		}
		tags.Content = append(tags.Content, tag.Content[0])
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// mapValue returns the value of key in a mapping node, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
