/* The load floor: pulls every libyaml event over a file and does nothing else. Whatever
 * stackup's load costs beyond this is the tree, the decoder and the model.
 * Usage: yaml-events FILE...   prints the number of events, exits 1 on a parse error. */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

static long count_events(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *bytes = malloc(size > 0 ? (size_t)size : 1);
    if (!bytes || fread(bytes, 1, (size_t)size, f) != (size_t)size) { perror(path); exit(2); }
    fclose(f);
    yaml_parser_t parser;
    yaml_event_t event;
    long events = 0;
    if (!yaml_parser_initialize(&parser)) exit(2);
    yaml_parser_set_input_string(&parser, bytes, (size_t)size);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) { fprintf(stderr, "%s: parse error\n", path); exit(1); }
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    free(bytes);
    return events;
}

int main(int argc, char **argv) {
    long total = 0;
    for (int i = 1; i < argc; i++) total += count_events(argv[i]);
    printf("%ld events\n", total);
    return 0;
}
