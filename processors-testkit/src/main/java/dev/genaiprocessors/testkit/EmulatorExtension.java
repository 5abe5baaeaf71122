package dev.genaiprocessors.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts an {@link Emulator} for each test, closes it after the test, and fails
 * a test that passed but left part of the emulator's script unplayed (naming what was left).
 *
 * <p><b>Registered with a factory</b>, for an emulator configured by the test:
 *
 * <pre>{@code
 * @RegisterExtension
 * final EmulatorExtension<GeminiLiveEmulator> live =
 *     EmulatorExtension.of(() -> GeminiLiveEmulator.builder().models("gemini-live-2.5-flash-preview").build());
 *
 * @Test
 * void answers() {
 *   live.get().enqueue(Script.builder().turn(Reply.text("Hi"), Reply.turnComplete()).build());
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Declared on the class</b>, for default emulators as test parameters: each parameter whose type
 * is a concrete {@link Emulator} with a static {@code builder()} whose builder has {@code build()} gets a
 * new default-built, started emulator.
 *
 * <pre>{@code
 * @ExtendWith(EmulatorExtension.class)
 * class MyTest {
 *   @Test
 *   void answers(GeminiApiEmulator gemini) { ... }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> Emulators are started before the test's {@code @BeforeEach} methods run (field
 * form) or when the parameter is resolved (parameter form), and closed after its {@code @AfterEach}
 * methods. The script check runs only when the test and its {@code @AfterEach} methods passed: a failing
 * test keeps its own failure. An emulator injected into a constructor or {@code @BeforeAll} method lives
 * until its container ends and is closed then, unchecked. <b>Threading.</b> The field form holds one
 * current emulator: use one instance per test instance (a non-static field) when tests run concurrently.
 *
 * @param <E> the type of emulator
 */
public final class EmulatorExtension<E extends Emulator>
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmulatorExtension.class);

  private final @Nullable Supplier<? extends E> factory;
  private volatile @Nullable E current;

  /**
   * The extension for {@code @ExtendWith(EmulatorExtension.class)}: it injects default-built emulators
   * as test parameters. Use {@link #of} to configure the emulator instead.
   */
  public EmulatorExtension() {
    this.factory = null;
  }

  private EmulatorExtension(Supplier<? extends E> factory) {
    this.factory = factory;
  }

  /**
   * An extension that builds an emulator with {@code factory} before each test and starts it.
   *
   * @param factory makes a new, not yet started emulator on each call
   * @param <E> the type of emulator
   * @return the extension, to hold in a {@code @RegisterExtension} field
   */
  public static <E extends Emulator> EmulatorExtension<E> of(Supplier<? extends E> factory) {
    return new EmulatorExtension<>(Objects.requireNonNull(factory, "factory"));
  }

  /**
   * The started emulator of the test running now.
   *
   * @return the emulator
   * @throws IllegalStateException outside a test, or on an extension made without a factory
   */
  public E get() {
    E e = current;
    if (e == null) {
      throw new IllegalStateException(
          factory == null
              ? "this EmulatorExtension injects emulators as test parameters; "
                  + "use EmulatorExtension.of(...) in a @RegisterExtension field to call get()"
              : "no emulator outside a test: call get() from a test or a @BeforeEach/@AfterEach method");
    }
    return e;
  }

  /**
   * Builds and starts the emulator of the field form.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    if (factory != null) {
      E e = Objects.requireNonNull(factory.get(), "the emulator factory returned null");
      started(context).add(e);
      e.start();
      current = e;
    }
  }

  /**
   * Checks the scripts of the test's emulators when the test passed, then closes them.
   *
   * @param context the test's context
   * @throws AssertionError when the test passed and a script was not used up
   */
  @Override
  public void afterEach(ExtensionContext context) {
    current = null;
    Started started = context.getStore(NAMESPACE).remove(key(context), Started.class);
    if (started == null) {
      return;
    }
    AssertionError failure = null;
    if (context.getExecutionException().isEmpty()) {
      for (Emulator e : started.emulators) {
        try {
          e.assertScriptUsedUp();
        } catch (AssertionError left) {
          if (failure == null) {
            failure = left;
          } else {
            failure.addSuppressed(left);
          }
        }
      }
    }
    started.close();
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Whether a parameter is an emulator this extension injects: only without a factory, for concrete
   * {@link Emulator} types.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context it is resolved in
   * @return true when this extension resolves it
   */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return factory == null
        && Emulator.class.isAssignableFrom(type)
        && !type.isInterface()
        && !Modifier.isAbstract(type.getModifiers());
  }

  /**
   * A new emulator of the parameter's type, built with its defaults ({@code builder().build()}) and
   * started.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context it is resolved in
   * @return the started emulator
   * @throws ParameterResolutionException when the type has no public static {@code builder()} with a
   *     {@code build()}, or building or starting fails
   */
  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    Emulator e = defaultBuilt(type);
    started(extensionContext).add(e);
    try {
      e.start();
    } catch (RuntimeException failed) {
      throw new ParameterResolutionException(
          "EmulatorExtension could not start " + type.getSimpleName() + ": " + failed, failed);
    }
    return e;
  }

  private static Emulator defaultBuilt(Class<?> type) {
    try {
      Method builder = type.getMethod("builder");
      if (!Modifier.isStatic(builder.getModifiers())) {
        throw new NoSuchMethodException(type.getName() + ".builder() is not static");
      }
      Object b = builder.invoke(null);
      Object built = b.getClass().getMethod("build").invoke(b);
      return (Emulator) type.cast(built);
    } catch (NoSuchMethodException | IllegalAccessException | ClassCastException e) {
      throw new ParameterResolutionException(
          "EmulatorExtension injects emulators made by a public static builder() and its build(); "
              + type.getName()
              + " has none ("
              + e.getMessage()
              + "): register EmulatorExtension.of(() -> ...) in a @RegisterExtension field instead",
          e);
    } catch (InvocationTargetException e) {
      // The builder's own failure is the cause worth showing; the reflective wrapper when there is
      // none.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ParameterResolutionException(
          "EmulatorExtension could not build " + type.getSimpleName() + ": " + cause, cause);
    }
  }

  private static String key(ExtensionContext context) {
    return "emulators:" + context.getUniqueId();
  }

  private static Started started(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .computeIfAbsent(key(context), k -> new Started(), Started.class);
  }

  /**
   * The emulators started for one context; closed by {@link #afterEach}, or by JUnit when the context
   * ends (an {@link AutoCloseable} store value).
   */
  private static final class Started implements AutoCloseable {
    final List<Emulator> emulators = new ArrayList<>();

    synchronized void add(Emulator e) {
      emulators.add(e);
    }

    @Override
    public synchronized void close() {
      for (Emulator e : emulators) {
        e.close();
      }
      emulators.clear();
    }
  }
}
