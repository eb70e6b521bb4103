/* A program built the way a user builds one: cc consumer.c $(pkg-config
 * --cflags --libs cloubed). It validates a testbed file given as argument. */
#include <stdio.h>

#include <cloubed/cloubed.h>

int main(int argc, char **argv)
{
    cb_testbed *tb = NULL;

    if (argc != 2)
        return 2;
    if (cb_testbed_open(&tb, argv[1], NULL) < 0) {
        fprintf(stderr, "%s\n", cb_error_last()->message);
        return 1;
    }
    printf("libcloubed %s: testbed %s has %zu domains\n", cb_version(), cb_testbed_name(tb),
           cb_testbed_domain_count(tb));
    cb_testbed_free(tb);
    return 0;
}
