/* Included with quotes; guarded, so the second include adds nothing. */
#ifndef INC_QUOTED_H
#define INC_QUOTED_H
type quoted_t = int;
#define FROM_HEADER 42
#endif
