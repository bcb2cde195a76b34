/**
 * Schema lint for deploy requests: the rules a branch's schema must pass before it deploys (errors block, warnings
 * inform), and whether a change can run with MariaDB 10.11's {@code ALGORITHM=INSTANT}, the basis of
 * {@code --instant} deploys and of the warning that a large table will be copied.
 */
package io.arbor.sql.lint;
